/**
 * The web chat client served by the application at {@code /app/}: static files that use the public API like any other
 * client (bearer token, stream tickets for live delivery, Idempotency-Key for sends). May use {@code platform}.
 */
package org.chatapi.webclient;
