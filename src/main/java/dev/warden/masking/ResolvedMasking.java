package dev.warden.masking;

import dev.warden.catalog.CatalogSnapshot;
import dev.warden.sql.QualifiedName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules in force for one kind of subject, resolved against one catalog snapshot: rules by table
 * OID and attnum (as RowDescription reports sources), the relations that hold masked data (tables
 * with rules, and views or materialized views that read a masked column), and the names by which
 * statement text reaches them. Immutable; rebuilt when the policy or the catalog changes.
 *
 * <p>PostgreSQL reports a view, not its base table, as the source of a view's column. For a view
 * that reads a masked column, each column's origin is taken from the view's stored query (see the
 * catalog): a column that is a masked column takes its rule (through views over views), another
 * plain column passes, a computed one is masked in full. Where the origins could not be read, a
 * column named like a masked base column takes its rule and every other is masked in full (fail
 * closed).
 */
public final class ResolvedMasking {
    private final Map<Long, Map<Integer, List<ColumnRule>>> rules = new HashMap<>();
    private final Set<Long> maskedRelations = new HashSet<>();
    private final Map<String, Set<String>> namesForText = new HashMap<>();
    private final MaskedReferences references;
    private final CatalogSnapshot catalog;
    private static final int MAX_VIEW_NESTING = 16;

    public ResolvedMasking(List<ColumnRule> columnRules, CatalogSnapshot catalog) {
        this.catalog = catalog;
        Map<String, ColumnRule> wholeByColumnName = new HashMap<>();
        Set<CatalogSnapshot.ColumnReference> maskedColumns = new HashSet<>();
        for (ColumnRule rule : columnRules) {
            Optional<CatalogSnapshot.Relation> relation = catalog.relation(new QualifiedName(rule.schema(), rule.table()));
            // Names are kept for statement text even when the table is not (yet) in the catalog.
            namesForText.computeIfAbsent(rule.table(), table -> new HashSet<>()).add(rule.column());
            if (relation.isEmpty()) {
                continue;
            }
            long oid = relation.get().oid();
            for (CatalogSnapshot.Column column : catalog.columns(oid)) {
                if (column.name().equals(rule.column())) {
                    rules.computeIfAbsent(oid, ignored -> new HashMap<>())
                            .computeIfAbsent(column.number(), ignored -> new ArrayList<>()).add(rule);
                    maskedRelations.add(oid);
                    maskedColumns.add(new CatalogSnapshot.ColumnReference(oid, column.number()));
                    if (!rule.isJsonPath()) {
                        wholeByColumnName.putIfAbsent(rule.column(), rule);
                    }
                }
            }
        }
        for (long view : catalog.viewOids()) {
            Set<CatalogSnapshot.ColumnReference> read = catalog.viewReadsColumns(view);
            if (read.stream().noneMatch(maskedColumns::contains)) {
                continue;
            }
            maskedRelations.add(view);
            Map<Integer, List<ColumnRule>> viewRules = new HashMap<>();
            Set<String> viewNames = new HashSet<>();
            for (CatalogSnapshot.Column column : catalog.columns(view)) {
                List<ColumnRule> fromOrigin = viewColumnRules(view, column.number(), 0);
                if (fromOrigin == null) {
                    // Origins unknown: a column named like a masked base column takes its rule, the rest full.
                    fromOrigin = List.of(wholeByColumnName.getOrDefault(column.name(), ColumnMasking.FAIL_CLOSED));
                }
                if (!fromOrigin.isEmpty()) {
                    viewRules.put(column.number(), fromOrigin);
                    viewNames.add(column.name());
                }
            }
            rules.put(view, viewRules);
            catalog.relation(view).ifPresent(relation ->
                    namesForText.computeIfAbsent(relation.name().name(), name -> new HashSet<>()).addAll(viewNames));
        }
        this.references = new MaskedReferences(namesForText);
    }

    /**
     * The rules of a view's column, from the origin its stored query gives: a masked column's rules
     * (through views over views), none for any other plain column, {@code full} for a computed one
     * (it is computed in a view that reads masked data); null when the origins are unknown.
     */
    private List<ColumnRule> viewColumnRules(long view, int number, int depth) {
        Optional<Map<Integer, CatalogSnapshot.ColumnReference>> origins = catalog.viewColumnOrigins(view);
        if (origins.isEmpty() || depth > MAX_VIEW_NESTING) {
            return null;
        }
        CatalogSnapshot.ColumnReference origin = origins.get().get(number);
        if (origin == null || origin.relationOid() == 0) {
            return List.of(ColumnMasking.FAIL_CLOSED);
        }
        Map<Integer, List<ColumnRule>> table = rules.get(origin.relationOid());
        if (table != null && table.containsKey(origin.number())) {
            return table.get(origin.number());
        }
        if (catalog.viewColumnOrigins(origin.relationOid()).isPresent()) {
            List<ColumnRule> nested = viewColumnRules(origin.relationOid(), origin.number(), depth + 1);
            return nested == null ? List.of(ColumnMasking.FAIL_CLOSED) : nested;
        }
        return List.of();
    }

    public CatalogSnapshot catalog() {
        return catalog;
    }

    public MaskedReferences references() {
        return references;
    }

    public boolean isEmpty() {
        return namesForText.isEmpty();
    }

    /** The rules of one source column; empty when it is not masked. */
    List<ColumnRule> rulesFor(long tableOid, int attribute) {
        Map<Integer, List<ColumnRule>> table = rules.get(tableOid);
        return table == null ? List.of() : table.getOrDefault(attribute, List.of());
    }

    boolean isMaskedRelation(long tableOid) {
        return maskedRelations.contains(tableOid);
    }
}
