/**
 * Where the caller is decided: the verified MP-JWT token becomes a {@link org.chatapi.platform.security.Caller}
 * (subject and groups, and what they grant); requests without a token are refused before any resource runs, but
 * for the methods that take a stream ticket instead ({@link org.chatapi.platform.security.StreamTicketAccepted}).
 * Tokens the MP-JWT mechanism accepted are remembered for a while by their hash
 * ({@link org.chatapi.platform.security.VerifiedTokens}). May use {@code platform}.
 */
package org.chatapi.platform.security;
