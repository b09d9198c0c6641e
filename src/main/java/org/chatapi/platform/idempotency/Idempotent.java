package org.chatapi.platform.idempotency;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Marks a resource method that writes (POST, PATCH, DELETE) and honours the {@code Idempotency-Key} header (see
 * {@link IdempotencyInterceptor}).
 * The method must return a {@link jakarta.ws.rs.core.Response}.
 */
@InterceptorBinding
@Retention(RUNTIME)
@Target({METHOD, TYPE})
public @interface Idempotent {
}
