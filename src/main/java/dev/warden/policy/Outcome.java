package dev.warden.policy;

import java.util.Locale;

/**
 * What policy says about a statement, ordered from least to most restrictive: when several rules
 * match, the most restrictive outcome wins (deny beats require_approval beats allow).
 */
public enum Outcome {
    ALLOW,
    REQUIRE_APPROVAL,
    DENY;

    /** The spelling in policy files: {@code allow}, {@code require_approval}, {@code deny}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** How people read it: {@code allow}, {@code require approval}, {@code deny}. */
    public String displayName() {
        return configName().replace('_', ' ');
    }

    public boolean isMoreRestrictiveThan(Outcome other) {
        return ordinal() > other.ordinal();
    }
}
