/**
 * Where errors are mapped: every answer that is not a success is built here as {@code application/problem+json}
 * (RFC 9457), from an {@link org.chatapi.platform.ApiException}, a JAX-RS exception, a database failure (503) or a
 * container error page (the MP-JWT 401 above all). May use {@code platform}; nothing here knows a feature.
 */
package org.chatapi.platform.problems;
