package dev.warden.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything policy needs to know about one SQL statement. Produced by the analyser, consumed by
 * the policy engine; pure data.
 *
 * @param text the statement as split from the message (without the separating semicolon)
 * @param kind the top-level kind (for {@code EXPLAIN ANALYZE DELETE ...} it is EXPLAIN)
 * @param objectType for CREATE/ALTER/DROP/COMMENT/GRANT/REVOKE: the object's type in lower case as in
 *     the SQL ({@code table}, {@code view}, {@code function}, {@code schema}, {@code domain},
 *     {@code owned} ...); null otherwise
 * @param effects every kind of effect the statement has, the top-level kind included, with nested
 *     ones: a data-modifying CTE adds DELETE to a SELECT, {@code EXPLAIN ANALYZE UPDATE} adds UPDATE,
 *     {@code CREATE TABLE AS} adds SELECT, {@code INSERT ... ON CONFLICT DO UPDATE} adds UPDATE,
 *     SQL-level {@code EXECUTE name} adds the prepared statement's effects
 * @param readTables tables and views read (views expanded to their base tables too when the
 *     catalog knows them)
 * @param writtenTables tables written (inserted, updated, deleted, merged, truncated, copied into),
 *     auto-updatable views resolved to their base tables
 * @param functions functions and procedures called, with resolved schema where known
 * @param where the WHERE shape of an UPDATE/DELETE/MERGE (the worst one when there are several)
 * @param copy present for COPY
 * @param settings for SET/RESET/set_config: the lower-cased setting names touched
 * @param notUnderstood present when the analyser could not understand the statement (the reason);
 *     such a statement is denied, never forwarded
 */
public record StatementAnalysis(
        String text,
        StatementKind kind,
        String objectType,
        Set<StatementKind> effects,
        List<QualifiedName> readTables,
        List<QualifiedName> writtenTables,
        List<QualifiedName> functions,
        WhereShape where,
        Optional<CopySpec> copy,
        Set<String> settings,
        Optional<String> notUnderstood) {

    public StatementAnalysis {
        requireNonNull(text, "text is null");
        requireNonNull(kind, "kind is null");
        effects = Set.copyOf(effects);
        readTables = List.copyOf(readTables);
        writtenTables = List.copyOf(writtenTables);
        functions = List.copyOf(functions);
        requireNonNull(where, "where is null");
        requireNonNull(copy, "copy is null");
        settings = Set.copyOf(settings);
        requireNonNull(notUnderstood, "notUnderstood is null");
    }

    public boolean understood() {
        return notUnderstood.isEmpty();
    }
}
