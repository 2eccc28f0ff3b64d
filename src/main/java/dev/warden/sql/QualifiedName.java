package dev.warden.sql;

import static java.util.Objects.requireNonNull;

/**
 * A schema-qualified object name, normalised as PostgreSQL does: unquoted identifiers folded to
 * lower case, quoted ones kept exactly. {@code schema} is the resolved schema (through the session's
 * search_path and the catalog when known), or null when it could not be resolved.
 */
public record QualifiedName(String schema, String name) {
    public QualifiedName {
        requireNonNull(name, "name is null");
    }

    /** {@code schema.name}, or just {@code name} when the schema is unknown. */
    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
