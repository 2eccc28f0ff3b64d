package dev.warden.config;

import java.time.Duration;

/** The values used when the configuration file leaves a key out; docs/configuration.md lists the same. */
public final class ConfigDefaults {

    /** Loopback, so that a gateway started without thought is not reachable from the network. */
    public static final String LISTENER_HOST = "127.0.0.1";
    /** PgBouncer's port: clients already expect a pooler-like hop there, and it does not clash with 5432. */
    public static final int LISTENER_PORT = 6432;
    public static final int TARGET_PORT = 5432;
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration AUTHENTICATION_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration IDLE_TIMEOUT = Duration.ZERO;
    public static final Duration SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(30);

    private ConfigDefaults() {}

    public static LimitsConfig limits() {
        return new LimitsConfig(
                MAX_MESSAGE_BYTES, CONNECT_TIMEOUT, AUTHENTICATION_TIMEOUT, IDLE_TIMEOUT, SHUTDOWN_GRACE_PERIOD);
    }
}
