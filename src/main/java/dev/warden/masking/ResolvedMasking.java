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
 * <p>A view over a masked column is masked in every column: PostgreSQL reports the view, not its
 * base column, as the source, and which view column carries the masked value would take parsing the
 * view definition. A view column named like the masked base column takes that column's rule; the
 * others are masked in full (fail closed).
 */
public final class ResolvedMasking {
    private final Map<Long, Map<Integer, List<ColumnRule>>> rules = new HashMap<>();
    private final Set<Long> maskedRelations = new HashSet<>();
    private final Map<String, Set<String>> namesForText = new HashMap<>();
    private final MaskedReferences references;
    private final CatalogSnapshot catalog;

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
                ColumnRule rule = wholeByColumnName.getOrDefault(column.name(), ColumnMasking.FAIL_CLOSED);
                viewRules.put(column.number(), List.of(rule));
                viewNames.add(column.name());
            }
            rules.put(view, viewRules);
            catalog.relation(view).ifPresent(relation ->
                    namesForText.computeIfAbsent(relation.name().name(), name -> new HashSet<>()).addAll(viewNames));
        }
        this.references = new MaskedReferences(namesForText);
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
