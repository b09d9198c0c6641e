/**
 * The base every feature stands on: the JAX-RS application, the schema migration at start-up, readiness, limits,
 * ids, timestamps, page parameters, strict request bodies, and the exceptions that name client mistakes
 * ({@link org.chatapi.platform.ApiException} and its kinds). It uses no other package of the application.
 */
package org.chatapi.platform;
