package dev.warden.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the gateway treats the service tokens kept in its store ({@code warden token create --store}).
 *
 * @param endSessionsOnRevoke whether a revoked (or expired) token also ends the sessions it opened,
 *     not only new logins
 * @param checkInterval how often live sessions are checked against revocations made elsewhere
 *     (another gateway node, the CLI)
 */
public record ServiceTokenConfig(boolean endSessionsOnRevoke, Duration checkInterval) {

    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);

    public ServiceTokenConfig {
        requireNonNull(checkInterval, "checkInterval is null");
        if (checkInterval.isZero() || checkInterval.isNegative()) {
            throw new IllegalArgumentException("checkInterval must be positive");
        }
    }

    /** Revocation ends live sessions by default: a revoked credential should stop working, not linger. */
    public static ServiceTokenConfig defaults() {
        return new ServiceTokenConfig(true, DEFAULT_CHECK_INTERVAL);
    }
}
