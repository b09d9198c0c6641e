/**
 * What happens to a request before JAX-RS sees it: it gets its id and its access log line, a Host that names no
 * host is refused, an authenticated caller's body is read without holding a request thread, and a refusal that
 * leaves a body unread closes the connection (so the body is never taken for a second request). The filters are
 * declared in web.xml, in that order. May use {@code platform} and {@code platform.problems}.
 */
package org.chatapi.platform.http;
