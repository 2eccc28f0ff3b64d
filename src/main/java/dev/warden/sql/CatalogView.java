package dev.warden.sql;

import java.util.List;
import java.util.Optional;

/**
 * What the analyser may ask of the target database's catalog. Implemented from pg_catalog by a
 * cache per target; tests use small in-memory fakes. Every method must answer from memory (no I/O):
 * the analyser runs on the event loop.
 */
public interface CatalogView {

    /**
     * Resolves a relation name as PostgreSQL would: a qualified name as is, an unqualified one
     * through {@code searchPath} ({@code $user} and {@code pg_catalog}/{@code pg_temp} semantics
     * included). Empty when no such relation is known.
     */
    Optional<QualifiedName> resolveRelation(QualifiedName name, List<String> searchPath);

    /** True when the relation is a view or materialized view. */
    boolean isView(QualifiedName relation);

    /** For a view, the base tables it reads, recursively through other views; empty for a table. */
    List<QualifiedName> viewBaseTables(QualifiedName view);

    /** Resolves a function or procedure name through {@code searchPath}; empty when unknown. */
    Optional<QualifiedName> resolveFunction(QualifiedName name, List<String> searchPath);

    /** A catalog that knows nothing: names stay as written, unqualified ones get no schema. */
    static CatalogView empty() {
        return new CatalogView() {
            @Override
            public Optional<QualifiedName> resolveRelation(QualifiedName name, List<String> searchPath) {
                return Optional.empty();
            }

            @Override
            public boolean isView(QualifiedName relation) {
                return false;
            }

            @Override
            public List<QualifiedName> viewBaseTables(QualifiedName view) {
                return List.of();
            }

            @Override
            public Optional<QualifiedName> resolveFunction(QualifiedName name, List<String> searchPath) {
                return Optional.empty();
            }
        };
    }
}
