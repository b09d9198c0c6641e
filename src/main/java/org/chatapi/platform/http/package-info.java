/**
 * What happens to a request before JAX-RS sees it: it gets its id and its access log line, cross-origin access is
 * decided (CORS), a Host that names no host or a path with dot segments is refused, the servlets that are not the API
 * answer GET, HEAD and OPTIONS only (every other method is a 405 problem with Allow), an authenticated caller's body is
 * read without holding a request thread, and a refusal that leaves a body unread closes the connection (so the body is
 * never taken for a second request). The filters are declared in web.xml, in that order. Also the servlet base for
 * the application's static pages ({@link org.chatapi.platform.http.StaticFiles}). May use {@code platform} and
 * {@code platform.problems}.
 */
package org.chatapi.platform.http;
