/**
 * The base every feature stands on: the JAX-RS application, the schema migration at start-up, health checks,
 * metrics, limits, ids and request ids, timestamps, page parameters, strict request bodies, the request a thread
 * serves, and the exceptions that name client mistakes ({@link org.chatapi.platform.ApiException} and its kinds).
 * It uses no other package of the application.
 *
 * <p>Everywhere in the application, enterprise beans are injected with {@code @EJB}, other beans with
 * {@code @Inject}: an enterprise bean injected through CDI is called through Weld's enterprise-bean proxy, which on
 * Payara 7 has the EJB container throw and catch an {@code IllegalArgumentException} on every call
 * ({@code EjbContainerServicesImpl.getEJBLocalObject} asks a no-interface view for its reflection proxy handler).
 */
package org.chatapi.platform;
