package dev.warden.policy;

import dev.warden.masking.ColumnRule;
import dev.warden.masking.MaskedReferences;
import dev.warden.masking.MaskingPolicy;
import dev.warden.sql.CopySpec;
import dev.warden.sql.QualifiedName;
import dev.warden.sql.StatementAnalysis;
import dev.warden.sql.StatementKind;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Built-in denials for identities whose results are masked: the routes by which a masked value
 * would reach them without passing through a result Warden masks.
 *
 * <ul>
 *   <li>{@code warden-masking-opaque-sql}: functions that run SQL given as text ({@code query_to_xml},
 *       {@code ts_stat}, {@code dblink} ...), DO blocks, and user-defined functions or procedures not
 *       listed in {@code trusted_functions} (their bodies may read masked columns). A function the
 *       catalog does not know (unqualified, created outside the gateway since the last refresh) is
 *       not recognised as user-defined: the content detectors are the net for it;
 *   <li>{@code warden-masking-staging}: statements that write, create, notify or set something from
 *       text that reaches a masked column ({@code INSERT ... SELECT email}, {@code CREATE TABLE AS},
 *       {@code CREATE VIEW}, {@code SELECT ... INTO}, {@code set_config}, {@code pg_notify},
 *       {@code lo_from_bytea}, COPY to a file);
 *   <li>{@code warden-masking-statistics}: planner statistics, which hold sample values of every column;
 *   <li>{@code warden-masking-predicate}: for groups in {@code deny_predicates_on_masked}, filtering,
 *       joining, sorting or grouping on a masked column.
 * </ul>
 */
final class MaskingRules {
    static final String OPAQUE_SQL = "warden-masking-opaque-sql";
    static final String STAGING = "warden-masking-staging";
    static final String STATISTICS = "warden-masking-statistics";
    static final String PREDICATE = "warden-masking-predicate";

    /** pg_catalog functions that execute SQL text or read data by name, which Warden cannot analyse. */
    private static final Set<String> OPAQUE_FUNCTIONS = Set.of("query_to_xml", "query_to_xml_and_xmlschema",
            "query_to_xmlschema", "cursor_to_xml", "cursor_to_xmlschema", "table_to_xml", "table_to_xml_and_xmlschema",
            "table_to_xmlschema", "schema_to_xml", "schema_to_xml_and_xmlschema", "schema_to_xmlschema",
            "database_to_xml", "database_to_xml_and_xmlschema", "database_to_xmlschema", "ts_stat", "ts_rewrite");
    /** Functions that store a value where it can be read back later, unmasked. */
    private static final Set<String> STAGING_FUNCTIONS = Set.of("set_config", "pg_notify", "lo_from_bytea", "lo_put",
            "lowrite", "lo_import", "lo_export", "pg_file_write", "dblink_exec");
    private static final Set<String> STATISTICS_RELATIONS = Set.of("pg_statistic", "pg_stats", "pg_stats_ext",
            "pg_stats_ext_exprs", "pg_statistic_ext_data", "pg_stat_statements");
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("pg_catalog", "information_schema");
    /** Effects that only read, or that change nothing another statement could read back. */
    private static final Set<StatementKind> READ_ONLY_EFFECTS = EnumSet.of(StatementKind.SELECT, StatementKind.SHOW,
            StatementKind.EXPLAIN, StatementKind.TRANSACTION, StatementKind.DECLARE_CURSOR, StatementKind.FETCH,
            StatementKind.CLOSE_CURSOR, StatementKind.PREPARE, StatementKind.EXECUTE, StatementKind.DEALLOCATE,
            StatementKind.LISTEN, StatementKind.UNLISTEN, StatementKind.COPY_TO, StatementKind.LOCK);

    private final MaskingPolicy masking;
    private final MaskedReferences references;
    private final Set<QualifiedName> maskedTables = new HashSet<>();

    MaskingRules(MaskingPolicy masking) {
        this.masking = masking;
        Map<String, Set<String>> columns = new HashMap<>();
        for (ColumnRule rule : masking.columns()) {
            columns.computeIfAbsent(rule.table(), table -> new HashSet<>()).add(rule.column());
            maskedTables.add(new QualifiedName(rule.schema(), rule.table()));
        }
        this.references = new MaskedReferences(columns);
    }

    /** The masking denial for this statement, or null. */
    Decision check(Set<String> groups, StatementAnalysis statement, String policyVersion) {
        if (!masking.masks(groups)) {
            return null;
        }
        for (QualifiedName function : statement.functions()) {
            String why = opaque(function);
            if (why != null) {
                return Decision.deny(OPAQUE_SQL, "Results of this identity are masked, and " + why
                                + " could return masked data Warden cannot see.",
                        "Query the tables directly; an administrator can list a function under masking.trusted_functions.",
                        policyVersion, List.of("it calls " + function));
            }
        }
        if (statement.effects().contains(StatementKind.DO)) {
            return Decision.deny(OPAQUE_SQL, "Results of this identity are masked, and a DO block runs statements"
                    + " Warden cannot see.", "Run the statements one by one in plain SQL.", policyVersion,
                    List.of("it is a DO block"));
        }
        for (QualifiedName table : statement.readTables()) {
            if (STATISTICS_RELATIONS.contains(table.name())
                    && (table.schema() == null || SYSTEM_SCHEMAS.contains(table.schema()) || table.name().equals("pg_stat_statements"))) {
                return Decision.deny(STATISTICS, "Results of this identity are masked, and planner statistics and"
                                + " statement statistics hold sample values of masked columns.",
                        "Ask an administrator for the statistics you need.", policyVersion, List.of("it reads " + table));
            }
        }
        MaskedReferences.Found found = references.find(statement.text());
        if (found.staged() || readsMaskedTableUnnamed(statement)) {
            String staging = staging(statement);
            if (staging != null) {
                return Decision.deny(STAGING, "Results of this identity are masked, and this statement " + staging
                                + " from masked columns, where it could be read back unmasked.",
                        "Read masked columns with a plain SELECT; ask an identity exempt from masking to move the data.",
                        policyVersion, List.of("it " + staging + " and its text reaches a masked column"));
            }
        }
        if (found.predicate() && masking.deniesPredicates(groups)) {
            return Decision.deny(PREDICATE, "Identities in a group listed under masking.deny_predicates_on_masked may"
                            + " not filter, join, sort or group on masked columns (each answer reveals something"
                            + " about the masked values).",
                    "Select masked columns without conditions on them.", policyVersion,
                    List.of("a masked column appears in WHERE, ON, HAVING, ORDER BY, GROUP BY or USING"));
        }
        return null;
    }

    /** Why calling {@code function} is opaque, or null when it is not. */
    private String opaque(QualifiedName function) {
        String name = function.name();
        if (OPAQUE_FUNCTIONS.contains(name) || name.startsWith("dblink")) {
            return "the function " + name + " runs SQL given as text, which";
        }
        if (function.schema() != null && !SYSTEM_SCHEMAS.contains(function.schema()) && !masking.trustedFunctions().contains(function.toString())) {
            return "the user-defined function " + function + " has a body that";
        }
        return null;
    }

    /**
     * A masked table read through a view: the view's text, not this statement's, names the column,
     * so any use counts. A table the statement also writes (an auto-updatable view) is its target.
     */
    private boolean readsMaskedTableUnnamed(StatementAnalysis statement) {
        for (QualifiedName table : statement.readTables()) {
            // By word: a view named customers_view does not name customers.
            if (maskedTables.contains(table) && !statement.writtenTables().contains(table)
                    && !BuiltInRules.containsWord(statement.text(), table.name().toLowerCase(java.util.Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** What the statement does that keeps a value for later, or null when it only reads. */
    private static String staging(StatementAnalysis statement) {
        for (QualifiedName function : statement.functions()) {
            if (STAGING_FUNCTIONS.contains(function.name())) {
                return "calls " + function.name();
            }
        }
        if (statement.copy().map(copy -> copy.endpoint() == CopySpec.Endpoint.FILE
                || copy.endpoint() == CopySpec.Endpoint.PROGRAM).orElse(false)) {
            return "copies to a server file or program";
        }
        for (StatementKind effect : statement.effects()) {
            if (!READ_ONLY_EFFECTS.contains(effect)) {
                return "writes (" + effect.name().toLowerCase(java.util.Locale.ROOT) + ")";
            }
        }
        return null;
    }
}
