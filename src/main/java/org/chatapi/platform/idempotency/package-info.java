/**
 * How idempotency works: the {@code Idempotency-Key} header on POSTs. The interceptor claims the key, runs the
 * request in one transaction with the storing of its response, and replays that response to retries.
 * May use {@code platform} and {@code platform.security}.
 */
package org.chatapi.platform.idempotency;
