package dev.warden.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Bounds on what one connection may cost the gateway.
 *
 * @param maxMessageBytes the largest message a client may send; server results are streamed and not bounded by it
 * @param connectTimeout how long to wait for the upstream TCP connection and its TLS handshake
 * @param authenticationTimeout how long a client may take from connecting to finishing startup and authentication
 * @param idleTimeout how long a client connection may stay silent; {@link Duration#ZERO} means no limit
 * @param shutdownGracePeriod how long open sessions may continue after shutdown begins
 */
public record LimitsConfig(
        int maxMessageBytes,
        Duration connectTimeout,
        Duration authenticationTimeout,
        Duration idleTimeout,
        Duration shutdownGracePeriod) {

    /** Large enough for the longest startup packet and error response PostgreSQL itself sends. */
    public static final int MIN_MESSAGE_BYTES = 4096;
    /** PostgreSQL's own ceiling for one message (MaxAllocSize is 1 GiB - 1). */
    public static final int MAX_MESSAGE_BYTES = 1 << 30;

    public LimitsConfig {
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(authenticationTimeout, "authenticationTimeout is null");
        requireNonNull(idleTimeout, "idleTimeout is null");
        requireNonNull(shutdownGracePeriod, "shutdownGracePeriod is null");
        if (maxMessageBytes < MIN_MESSAGE_BYTES || maxMessageBytes > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes must be between "
                    + MIN_MESSAGE_BYTES + " and " + MAX_MESSAGE_BYTES + " (got " + maxMessageBytes + ")");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
        if (authenticationTimeout.isNegative() || authenticationTimeout.isZero()) {
            throw new IllegalArgumentException("authenticationTimeout must be positive");
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative");
        }
        if (shutdownGracePeriod.isNegative()) {
            throw new IllegalArgumentException("shutdownGracePeriod must not be negative");
        }
    }

    public boolean hasIdleTimeout() {
        return !idleTimeout.isZero();
    }
}
