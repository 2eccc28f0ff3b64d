package dev.warden.proxy;

import dev.warden.catalog.CatalogSnapshot;
import dev.warden.masking.CopyStatement;
import dev.warden.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;

/** The catalog columns a {@code COPY table [(columns)] TO STDOUT} sends, in order. */
final class CopySources {
    private CopySources() {}

    /** The columns, or null when the table or a column cannot be resolved without doubt. */
    static List<CatalogSnapshot.Column> columns(CatalogSnapshot catalog, CopyStatement statement) {
        CatalogSnapshot.Relation relation = relation(catalog, statement);
        if (relation == null) {
            return null;
        }
        List<CatalogSnapshot.Column> all = catalog.columns(relation.oid());
        if (statement.columns().isEmpty()) {
            return all;
        }
        List<CatalogSnapshot.Column> chosen = new ArrayList<>();
        for (String name : statement.columns()) {
            CatalogSnapshot.Column column = all.stream().filter(candidate -> candidate.name().equals(name)).findFirst()
                    .orElse(null);
            if (column == null) {
                return null;
            }
            chosen.add(column);
        }
        return chosen;
    }

    /** A qualified name as written; an unqualified one only when a single schema has that table. */
    private static CatalogSnapshot.Relation relation(CatalogSnapshot catalog, CopyStatement statement) {
        if (statement.schema() != null) {
            return catalog.relation(new QualifiedName(statement.schema(), statement.table())).orElse(null);
        }
        CatalogSnapshot.Relation found = null;
        for (long oid : catalog.relationsWithColumns()) {
            CatalogSnapshot.Relation relation = catalog.relation(oid).orElse(null);
            if (relation != null && relation.name().name().equals(statement.table())) {
                if (found != null) {
                    return null;
                }
                found = relation;
            }
        }
        return found;
    }
}
