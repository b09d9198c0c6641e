/**
 * The served OpenAPI document beyond what the resources' annotations say: the error model and the
 * {@code Idempotency-Key} header on every operation. May use the other {@code platform} packages.
 */
package org.chatapi.platform.openapi;
