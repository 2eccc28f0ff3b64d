package dev.warden.sql;

import static java.util.Objects.requireNonNull;

/**
 * A COPY statement's direction and far end.
 *
 * @param location the file path or program text for FILE/PROGRAM, else null
 */
public record CopySpec(Direction direction, Endpoint endpoint, String location) {
    public enum Direction { FROM, TO }

    public enum Endpoint { STDIN, STDOUT, FILE, PROGRAM }

    public CopySpec {
        requireNonNull(direction, "direction is null");
        requireNonNull(endpoint, "endpoint is null");
    }
}
