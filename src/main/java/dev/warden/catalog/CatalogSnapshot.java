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

    /** A column of a relation: pg_attribute's attnum, name and type. */
    public record Column(long relationOid, int number, String name, long typeOid) {}

    /** A base-table column some view's rewrite rule reads (pg_depend with refobjsubid > 0). */
    public record ColumnReference(long relationOid, int number) {}

    private final String sessionRole;
    private final Map<QualifiedName, Relation> relations;
    private final Map<Long, Relation> relationsByOid;
    private final Map<Long, List<Long>> viewDependencies;
    private final Map<QualifiedName, Function> functionsByName;
    private final Map<Long, Function> functionsByOid;
    private final Set<String> schemas;
    private final Map<Long, List<Column>> columnsByRelation;
    private final Map<Long, Set<ColumnReference>> viewColumnDependencies;
    private final Map<Long, Map<Integer, ColumnReference>> viewColumnOrigins;
    /** Every schema, relation, column and function name: what a server message may quote as a name. */
    private final Set<String> names;

    public CatalogSnapshot(String sessionRole, List<Relation> relations, Map<Long, List<Long>> viewDependencies,
            List<Function> functions) {
        this(sessionRole, relations, viewDependencies, functions, List.of(), Map.of());
    }

    public CatalogSnapshot(String sessionRole, List<Relation> relations, Map<Long, List<Long>> viewDependencies,
            List<Function> functions, List<Column> columns, Map<Long, Set<ColumnReference>> viewColumnDependencies) {
        this(sessionRole, relations, viewDependencies, functions, columns, viewColumnDependencies, Map.of());
    }

    /**
     * @param viewColumnOrigins per view, where each of its columns comes from (relation 0 for a
     *     computed column); a view missing here has origins Warden could not read
     */
    public CatalogSnapshot(String sessionRole, List<Relation> relations, Map<Long, List<Long>> viewDependencies,
            List<Function> functions, List<Column> columns, Map<Long, Set<ColumnReference>> viewColumnDependencies,
            Map<Long, Map<Integer, ColumnReference>> viewColumnOrigins) {
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
        Map<Long, List<Column>> byRelation = new HashMap<>();
        for (Column column : columns) {
            byRelation.computeIfAbsent(column.relationOid(), oid -> new ArrayList<>()).add(column);
        }
        byRelation.replaceAll((oid, list) -> List.copyOf(list));
        this.columnsByRelation = Map.copyOf(byRelation);
        Map<Long, Set<ColumnReference>> references = new HashMap<>();
        viewColumnDependencies.forEach((view, read) -> references.put(view, Set.copyOf(read)));
        this.viewColumnDependencies = Map.copyOf(references);
        Map<Long, Map<Integer, ColumnReference>> origins = new HashMap<>();
        viewColumnOrigins.forEach((view, columnsOfView) -> origins.put(view, Map.copyOf(columnsOfView)));
        this.viewColumnOrigins = Map.copyOf(origins);
        Set<String> allNames = new HashSet<>(knownSchemas);
        relations.forEach(relation -> allNames.add(relation.name().name()));
        functions.forEach(function -> allNames.add(function.name().name()));
        columns.forEach(column -> allNames.add(column.name()));
        this.names = Set.copyOf(allNames);
    }

    /** Whether a schema, relation, column or function of this catalog has exactly this name. */
    public boolean isName(String name) {
        return names.contains(name);
    }

    /**
     * Where each column of a view comes from, by column number (relation 0: computed), as the view's
     * stored query says; empty when Warden could not read it.
     */
    public Optional<Map<Integer, ColumnReference>> viewColumnOrigins(long viewOid) {
        return Optional.ofNullable(viewColumnOrigins.get(viewOid));
    }

    /** The relation with this OID (pg_class.oid), as RowDescription names a column's source. */
    public Optional<Relation> relation(long oid) {
        return Optional.ofNullable(relationsByOid.get(oid));
    }

    /** The relation of this exact (schema-qualified) name. */
    public Optional<Relation> relation(QualifiedName name) {
        return Optional.ofNullable(relations.get(name));
    }

    /** The columns of a relation in attnum order; empty when unknown. */
    public List<Column> columns(long relationOid) {
        return columnsByRelation.getOrDefault(relationOid, List.of());
    }

    /** Every relation whose columns are known, by OID. */
    public Set<Long> relationsWithColumns() {
        return columnsByRelation.keySet();
    }

    /**
     * The base-table columns a view or materialized view reads, through nested views too, so that a
     * view over a masked column can be recognised without parsing its definition.
     */
    public Set<ColumnReference> viewReadsColumns(long viewOid) {
        Set<ColumnReference> read = new HashSet<>();
        Set<Long> visited = new HashSet<>();
        List<Long> pending = new ArrayList<>(List.of(viewOid));
        while (!pending.isEmpty()) {
            long oid = pending.remove(pending.size() - 1);
            if (!visited.add(oid)) {
                continue;
            }
            read.addAll(viewColumnDependencies.getOrDefault(oid, Set.of()));
            for (long dependency : viewDependencies.getOrDefault(oid, List.of())) {
                Relation relation = relationsByOid.get(dependency);
                if (relation != null && VIEW_KINDS.contains(relation.kind())) {
                    pending.add(dependency);
                }
            }
        }
        return read;
    }

    /** OIDs of the views and materialized views in this snapshot. */
    public List<Long> viewOids() {
        return relationsByOid.values().stream().filter(relation -> VIEW_KINDS.contains(relation.kind()))
                .map(Relation::oid).toList();
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
