package dev.warden.identity;

import java.util.Locale;
import java.util.Optional;

/** Which of a target's upstream credentials the sessions of an identity use. */
public enum UpstreamAccess {
    READ_ONLY,
    READ_WRITE;

    /** The spelling used in the configuration file and on the command line: {@code read_only}, {@code read_write}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<UpstreamAccess> fromConfigName(String text) {
        for (UpstreamAccess access : values()) {
            if (access.configName().equals(text)) {
                return Optional.of(access);
            }
        }
        return Optional.empty();
    }
}
