/**
 * The base every feature stands on: the JAX-RS application, the schema migration at start-up, health checks,
 * metrics, limits, ids and request ids, timestamps, page parameters, strict request bodies, the request a thread
 * serves, and the exceptions that name client mistakes ({@link org.chatapi.platform.ApiException} and its kinds).
 * It uses no other package of the application.
 */
package org.chatapi.platform;
