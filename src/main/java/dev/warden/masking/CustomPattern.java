package dev.warden.masking;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/** A content detector from the policy: a name and a java.util.regex pattern (run under a step budget). */
public record CustomPattern(String name, Pattern pattern) {
    public CustomPattern {
        requireNonNull(name, "name is null");
        requireNonNull(pattern, "pattern is null");
    }
}
