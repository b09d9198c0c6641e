/**
 * The served OpenAPI document: {@code openapi.yaml} (in the class path) is the contract, written by hand and checked against
 * every request and response of the integration tests; this package only writes the server's configured limits into
 * it. May use the other {@code platform} packages.
 */
package org.chatapi.platform.openapi;
