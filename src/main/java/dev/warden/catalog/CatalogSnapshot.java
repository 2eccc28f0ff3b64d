package dev.warden.catalog;

import static java.util.Objects.requireNonNull;

import dev.warden.sql.CatalogView;
import dev.warden.sql.QualifiedName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable picture of one target's catalog: relations with their kind, which base tables each
 * view reads, and functions by name and OID. Resolution follows PostgreSQL's rules: a qualified
 * name as written; an unqualified one through pg_catalog first (unless the search path names it
 * elsewhere), then the search path in order, with {@code $user} meaning the session's role.
 */
public final class CatalogSnapshot implements CatalogView {

    /** pg_class.relkind values that behave as views for policy (rules that rewrite into other tables). */
    private static final Set<Character> VIEW_KINDS = Set.of('v', 'm');

    public record Relation(long oid, QualifiedName name, char kind) {}

    public record Function(long oid, QualifiedName name) {}

    private final String sessionRole;
    private final Map<QualifiedName, Relation> relations;
    private final Map<Long, Relation> relationsByOid;
    private final Map<Long, List<Long>> viewDependencies;
    private final Map<QualifiedName, Function> functionsByName;
    private final Map<Long, Function> functionsByOid;
    private final Set<String> schemas;

    public CatalogSnapshot(String sessionRole, List<Relation> relations, Map<Long, List<Long>> viewDependencies,
            List<Function> functions) {
        this.sessionRole = requireNonNull(sessionRole, "sessionRole is null");
        Map<QualifiedName, Relation> byName = new HashMap<>();
        Map<Long, Relation> byOid = new HashMap<>();
        Set<String> knownSchemas = new HashSet<>();
        for (Relation relation : relations) {
            byName.put(relation.name(), relation);
            byOid.put(relation.oid(), relation);
            knownSchemas.add(relation.name().schema());
        }
        Map<QualifiedName, Function> functionNames = new HashMap<>();
        Map<Long, Function> functionOids = new HashMap<>();
        for (Function function : functions) {
            functionNames.putIfAbsent(function.name(), function);
            functionOids.put(function.oid(), function);
            knownSchemas.add(function.name().schema());
        }
        this.relations = Map.copyOf(byName);
        this.relationsByOid = Map.copyOf(byOid);
        this.viewDependencies = Map.copyOf(viewDependencies);
        this.functionsByName = Map.copyOf(functionNames);
        this.functionsByOid = Map.copyOf(functionOids);
        this.schemas = Set.copyOf(knownSchemas);
    }

    public int relationCount() {
        return relations.size();
    }

    @Override
    public Optional<QualifiedName> resolveRelation(QualifiedName name, List<String> searchPath) {
        return resolve(name, searchPath, candidate -> relations.containsKey(candidate));
    }

    @Override
    public boolean isView(QualifiedName relation) {
        Relation known = relations.get(relation);
        return known != null && VIEW_KINDS.contains(known.kind());
    }

    @Override
    public List<QualifiedName> viewBaseTables(QualifiedName view) {
        Relation start = relations.get(view);
        if (start == null || !VIEW_KINDS.contains(start.kind())) {
            return List.of();
        }
        Set<QualifiedName> tables = new LinkedHashSet<>();
        Set<Long> visited = new HashSet<>();
        List<Long> pending = new ArrayList<>(List.of(start.oid()));
        while (!pending.isEmpty()) {
            long oid = pending.remove(pending.size() - 1);
            if (!visited.add(oid)) {
                continue;
            }
            for (long dependency : viewDependencies.getOrDefault(oid, List.of())) {
                Relation relation = relationsByOid.get(dependency);
                if (relation == null) {
                    continue;
                }
                if (VIEW_KINDS.contains(relation.kind())) {
                    pending.add(relation.oid());
                } else {
                    tables.add(relation.name());
                }
            }
        }
        return List.copyOf(tables);
    }

    @Override
    public Optional<QualifiedName> resolveFunction(QualifiedName name, List<String> searchPath) {
        return resolve(name, searchPath, functionsByName::containsKey);
    }

    /** The function or procedure with this OID (for the protocol's FunctionCall message). */
    public Optional<QualifiedName> functionName(long oid) {
        Function function = functionsByOid.get(oid);
        return function == null ? Optional.empty() : Optional.of(function.name());
    }

    private Optional<QualifiedName> resolve(QualifiedName name, List<String> searchPath,
            java.util.function.Predicate<QualifiedName> exists) {
        if (name.schema() != null) {
            return exists.test(name) ? Optional.of(name) : Optional.empty();
        }
        for (String schema : effectiveSearchPath(searchPath)) {
            QualifiedName candidate = new QualifiedName(schema, name.name());
            if (exists.test(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** pg_catalog is searched first unless the path places it; {@code $user} is the session role. */
    private List<String> effectiveSearchPath(List<String> searchPath) {
        List<String> path = new ArrayList<>();
        if (!searchPath.contains("pg_catalog")) {
            path.add("pg_catalog");
        }
        for (String entry : searchPath) {
            String schema = entry.equals("$user") ? sessionRole : entry;
            if (schemas.contains(schema)) {
                path.add(schema);
            }
        }
        return path;
    }
}
