package dev.warden.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * TEMPORARY STUB on the policy branch, so that {@code warden policy explain} compiles before the
 * analyser is merged. Drop this file at merge in favour of the real analyser. It understands
 * nothing, so every statement is denied by warden-unknown-statement (fail closed).
 */
public final class StatementAnalyzer {

    private final CatalogView catalog;

    public StatementAnalyzer(CatalogView catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    public List<StatementAnalysis> analyze(String sql, SqlSessionState session) {
        requireNonNull(sql, "sql is null");
        requireNonNull(session, "session is null");
        return List.of(new StatementAnalysis(sql, StatementKind.UNKNOWN, null, Set.of(StatementKind.UNKNOWN), List.of(),
                List.of(), List.of(), WhereShape.NOT_APPLICABLE, Optional.empty(), Set.of(),
                Optional.of("the SQL analyser is not in this build (stub " + catalog.getClass().getSimpleName() + ")")));
    }
}
