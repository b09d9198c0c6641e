/**
 * Webhooks: subscriptions ({@code WebhooksResource}, {@code Webhooks}), the outbox a trigger fills in the transaction
 * of each event (see migration V11), its delivery in order per subscription and room, signed (Standard Webhooks) and
 * retried ({@code WebhookDispatcher}, {@code Deliveries}, {@code Payloads}, {@code Signatures}), the checks of where
 * webhooks may go ({@code Destinations}) and the backlog's metrics and health ({@code WebhookBacklog}). May use
 * {@code platform.*}, {@code rooms.boundary} (how messages are read) and {@code live} (the commit notifications);
 * nothing uses it.
 */
package org.chatapi.webhooks;
