package dev.warden.sql;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * A schema-qualified object name, normalised as PostgreSQL does: unquoted identifiers folded to
 * lower case, quoted ones kept exactly. {@code schema} is the resolved schema (through the session's
 * search_path and the catalog when known), or null when it could not be resolved.
 */
public record QualifiedName(String schema, String name) {
    /**
     * The order an analysis reports the tables of one statement in: by schema (unqualified first), then
     * name. Not the order they are written in, because the parser's table finder does not keep it; one
     * fixed order keeps analyses of the same statement equal, whichever path produced them.
     */
    public static final Comparator<QualifiedName> REPORTING_ORDER = Comparator
            .comparing(QualifiedName::schema, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(QualifiedName::name);

    public QualifiedName {
        requireNonNull(name, "name is null");
    }

    /** {@code schema.name}, or just {@code name} when the schema is unknown. */
    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
