/**
 * What the service does with the data people entrust to it: the erasure of a person ({@code ErasuresResource},
 * {@code Erasures}), the export of a person's data ({@code ExportsResource}, {@code Exports}), both run as jobs in
 * small resumable steps ({@code DataJobs}), retention: how long a room's messages are kept and their removal in
 * batches ({@code RetentionResource}, {@code Retention}, {@code RetentionSweep}), and the audit of every such request
 * ({@code DataRequests}). Most of its
 * data access is native SQL through the {@code EntityManager}, since it reaches every table. May use
 * {@code platform.*} and {@code rooms.boundary} (how messages are read); nothing uses it.
 */
package org.chatapi.privacy;
