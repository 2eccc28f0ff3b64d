package dev.warden.identity;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Rules for the names of identities, targets and groups, shared by the configuration and the CLI. */
public final class Names {

    /** PostgreSQL's NAMEDATALEN - 1: longer user and database names are silently truncated by the server. */
    public static final int MAX_BYTES = 63;

    private Names() {}

    /** What is wrong with {@code name}, or empty if it is acceptable. The description never quotes the name. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (name.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return Optional.of("must not contain whitespace or control characters");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return Optional.of("must be at most " + MAX_BYTES
                    + " bytes, because PostgreSQL truncates longer names (got " + bytes + ")");
        }
        return Optional.empty();
    }
}
