package dev.warden.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads {@code limits:}; every key is optional. */
final class LimitsSection {

    private static final List<String> KEYS = List.of(
            "max_message_bytes", "connect_timeout", "authentication_timeout", "idle_timeout", "shutdown_grace_period");

    private LimitsSection() {}

    static Optional<LimitsConfig> read(YamlNode node) {
        return node.asMapping(KEYS).flatMap(mapping -> {
            ConfigProblems problems = mapping.self().problems();
            int before = problems.size();
            Integer maxMessageBytes = mapping.value("max_message_bytes",
                    n -> n.asInteger(LimitsConfig.MIN_MESSAGE_BYTES, LimitsConfig.MAX_MESSAGE_BYTES),
                    ConfigDefaults.MAX_MESSAGE_BYTES);
            Duration connectTimeout = mapping.value("connect_timeout", n -> n.asDuration(false), ConfigDefaults.CONNECT_TIMEOUT);
            Duration authenticationTimeout = mapping.value(
                    "authentication_timeout", n -> n.asDuration(false), ConfigDefaults.AUTHENTICATION_TIMEOUT);
            Duration idleTimeout = mapping.value("idle_timeout", n -> n.asDuration(true), ConfigDefaults.IDLE_TIMEOUT);
            Duration shutdownGracePeriod = mapping.value(
                    "shutdown_grace_period", n -> n.asDuration(true), ConfigDefaults.SHUTDOWN_GRACE_PERIOD);
            if (problems.size() != before) {
                return Optional.empty();
            }
            return Optional.of(new LimitsConfig(
                    maxMessageBytes, connectTimeout, authenticationTimeout, idleTimeout, shutdownGracePeriod));
        });
    }
}
