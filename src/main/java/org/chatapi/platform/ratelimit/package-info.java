/**
 * Per-caller rate limits: how many posts and creations a caller may make per minute, counted in memory by each
 * instance and shared through PostgreSQL within 50 ms so that all instances together enforce one limit, answered
 * with {@code 429}, {@code Retry-After} and the IETF draft's {@code RateLimit-Policy} and {@code RateLimit} headers.
 * May use the other {@code platform} packages.
 */
package org.chatapi.platform.ratelimit;
