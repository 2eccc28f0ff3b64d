package dev.warden.sql;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A small in-memory catalog: relations and functions per schema, views with their base tables. */
final class TestingCatalog implements CatalogView {
    private final Map<QualifiedName, List<QualifiedName>> relations = new HashMap<>();
    private final Map<QualifiedName, Boolean> functions = new HashMap<>();

    TestingCatalog table(String schema, String name) {
        relations.put(new QualifiedName(schema, name), List.of());
        return this;
    }

    TestingCatalog view(String schema, String name, QualifiedName... baseTables) {
        relations.put(new QualifiedName(schema, name), List.of(baseTables));
        return this;
    }

    TestingCatalog function(String schema, String name) {
        functions.put(new QualifiedName(schema, name), true);
        return this;
    }

    /** The corpus catalog: public.accounts/users/orders/t/u/s, secret.keys, views over them. */
    static TestingCatalog standard() {
        return new TestingCatalog()
                .table("public", "accounts").table("public", "users").table("public", "orders")
                .table("public", "t").table("public", "u").table("public", "s").table("secret", "keys")
                .table("public", "pgbench_accounts").table("public", "pgbench_branches").table("public", "pgbench_tellers")
                .view("public", "active_users", new QualifiedName("public", "users"))
                .view("public", "user_orders", new QualifiedName("public", "users"), new QualifiedName("public", "orders"))
                .function("pg_catalog", "now").function("pg_catalog", "pg_read_file").function("pg_catalog", "set_config")
                .function("public", "dblink_exec");
    }

    @Override
    public Optional<QualifiedName> resolveRelation(QualifiedName name, List<String> searchPath) {
        return resolve(name, searchPath, relations.keySet());
    }

    @Override
    public boolean isView(QualifiedName relation) {
        List<QualifiedName> bases = relations.get(relation);
        return bases != null && !bases.isEmpty();
    }

    @Override
    public List<QualifiedName> viewBaseTables(QualifiedName view) {
        return relations.getOrDefault(view, List.of());
    }

    @Override
    public Optional<QualifiedName> resolveFunction(QualifiedName name, List<String> searchPath) {
        return resolve(name, searchPath, functions.keySet());
    }

    /** pg_catalog first (implicitly, as PostgreSQL does unless listed), then the path; $user is skipped. */
    private static Optional<QualifiedName> resolve(QualifiedName name, List<String> searchPath,
            java.util.Set<QualifiedName> known) {
        if (name.schema() != null) {
            return known.contains(name) ? Optional.of(name) : Optional.empty();
        }
        QualifiedName catalogName = new QualifiedName("pg_catalog", name.name());
        if (!searchPath.contains("pg_catalog") && known.contains(catalogName)) {
            return Optional.of(catalogName);
        }
        for (String schema : searchPath) {
            QualifiedName candidate = new QualifiedName(schema, name.name());
            if (known.contains(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
