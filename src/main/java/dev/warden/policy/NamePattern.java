package dev.warden.policy;

import static java.util.Objects.requireNonNull;

import dev.warden.sql.QualifiedName;
import java.util.Optional;

/**
 * A table or function pattern of a rule: {@code public.customers}, {@code public.pay*},
 * {@code pg_catalog.pg_ls_*}, or an unqualified {@code dblink*} that matches in any schema.
 *
 * <p>Unresolved names fail closed: a name whose schema the analyser could not resolve (no catalog,
 * unknown search_path) matches when its name part matches, whatever schema the pattern names. So
 * {@code UPDATE customers} still meets a rule on {@code public.customers}; because deny beats
 * require_approval beats allow, matching too much can only make a decision stricter.
 *
 * @param schema null when the pattern is unqualified
 */
public record NamePattern(Glob schema, Glob name) {

    public NamePattern {
        requireNonNull(name, "name is null");
    }

    /** Parses {@code schema.name} or {@code name}; empty when the text is not a valid pattern. */
    public static Optional<NamePattern> parse(String text) {
        if (text.isEmpty() || text.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)
                || c == '"' || c == '[' || c == ']' || c == '{' || c == '}' || c == '\\')) {
            return Optional.empty();
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length > 2 || parts[0].isEmpty() || parts[parts.length - 1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parts.length == 1
                ? new NamePattern(null, new Glob(parts[0]))
                : new NamePattern(new Glob(parts[0]), new Glob(parts[1])));
    }

    public boolean matches(QualifiedName qualified) {
        if (!name.matches(qualified.name())) {
            return false;
        }
        return schema == null || qualified.schema() == null || schema.matches(qualified.schema());
    }

    @Override
    public String toString() {
        return schema == null ? name.toString() : schema + "." + name;
    }
}
