package dev.warden.catalog;

import dev.warden.sql.QualifiedName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a {@link CatalogSnapshot} from pg_catalog over an ordinary connection. */
final class CatalogLoader {
    private static final String RELATIONS = """
            SELECT c.oid, n.nspname, c.relname, c.relkind
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')""";

    /** Which relations each view's rewrite rule reads: the view's dependencies through pg_rewrite. */
    private static final String VIEW_DEPENDENCIES = """
            SELECT DISTINCT r.ev_class, d.refobjid
            FROM pg_catalog.pg_rewrite r
            JOIN pg_catalog.pg_depend d
              ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
             AND d.refclassid = 'pg_catalog.pg_class'::regclass
            WHERE d.refobjid <> r.ev_class""";

    /** Which base-table columns each view's rewrite rule reads (column-level dependencies). */
    private static final String VIEW_COLUMN_DEPENDENCIES = """
            SELECT DISTINCT r.ev_class, d.refobjid, d.refobjsubid
            FROM pg_catalog.pg_rewrite r
            JOIN pg_catalog.pg_depend d
              ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
             AND d.refclassid = 'pg_catalog.pg_class'::regclass
            WHERE d.refobjid <> r.ev_class AND d.refobjsubid > 0""";

    /** Columns of the relations masking can name (tables, views, materialized views, foreign tables). */
    private static final String COLUMNS = """
            SELECT a.attrelid, a.attnum, a.attname, a.atttypid
            FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attrelid, a.attnum""";

    /**
     * The stored query of each view outside the system schemas, for the origin of its columns (the
     * system views masking names are ruled by name).
     */
    private static final String VIEW_QUERIES = """
            SELECT r.ev_class, r.ev_action::text
            FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE r.rulename = '_RETURN' AND c.relkind IN ('v', 'm')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')""";

    private static final String FUNCTIONS = """
            SELECT p.oid, n.nspname, p.proname
            FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace""";

    private CatalogLoader() {}

    static CatalogSnapshot load(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            String role;
            try (ResultSet rows = statement.executeQuery("SELECT current_user")) {
                rows.next();
                role = rows.getString(1);
            }
            List<CatalogSnapshot.Relation> relations = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(RELATIONS)) {
                while (rows.next()) {
                    relations.add(new CatalogSnapshot.Relation(rows.getLong(1),
                            new QualifiedName(rows.getString(2), rows.getString(3)), rows.getString(4).charAt(0)));
                }
            }
            Map<Long, List<Long>> dependencies = new HashMap<>();
            try (ResultSet rows = statement.executeQuery(VIEW_DEPENDENCIES)) {
                while (rows.next()) {
                    dependencies.computeIfAbsent(rows.getLong(1), view -> new ArrayList<>()).add(rows.getLong(2));
                }
            }
            List<CatalogSnapshot.Function> functions = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(FUNCTIONS)) {
                while (rows.next()) {
                    functions.add(new CatalogSnapshot.Function(rows.getLong(1),
                            new QualifiedName(rows.getString(2), rows.getString(3))));
                }
            }
            List<CatalogSnapshot.Column> columns = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(COLUMNS)) {
                while (rows.next()) {
                    columns.add(new CatalogSnapshot.Column(rows.getLong(1), rows.getInt(2), rows.getString(3), rows.getLong(4)));
                }
            }
            Map<Long, Set<CatalogSnapshot.ColumnReference>> columnDependencies = new HashMap<>();
            try (ResultSet rows = statement.executeQuery(VIEW_COLUMN_DEPENDENCIES)) {
                while (rows.next()) {
                    columnDependencies.computeIfAbsent(rows.getLong(1), view -> new HashSet<>())
                            .add(new CatalogSnapshot.ColumnReference(rows.getLong(2), rows.getInt(3)));
                }
            }
            Map<Long, Map<Integer, CatalogSnapshot.ColumnReference>> viewOrigins = new HashMap<>();
            try (ResultSet rows = statement.executeQuery(VIEW_QUERIES)) {
                while (rows.next()) {
                    long view = rows.getLong(1);
                    ViewTargetList.parse(rows.getString(2)).ifPresent(origins -> viewOrigins.put(view, origins));
                }
            }
            return new CatalogSnapshot(role, relations, dependencies, functions, columns, columnDependencies, viewOrigins);
        }
    }
}
