package dev.warden.sql;

import java.util.List;

/** Resolves names through the catalog and the session's search_path; never guesses a schema. */
final class NameResolver {
    private final CatalogView catalog;
    private final List<String> searchPath;

    NameResolver(CatalogView catalog, List<String> searchPath) {
        this.catalog = catalog;
        this.searchPath = searchPath;
    }

    QualifiedName relation(QualifiedName written) {
        return catalog.resolveRelation(written, searchPath).orElse(written);
    }

    QualifiedName function(QualifiedName written) {
        return catalog.resolveFunction(written, searchPath).orElse(written);
    }

    /** Adds a read relation and, for a view, the base tables behind it. */
    void addRead(AnalysisBuilder out, QualifiedName written) {
        QualifiedName resolved = relation(written);
        out.reads.add(resolved);
        if (catalog.isView(resolved)) {
            out.reads.addAll(catalog.viewBaseTables(resolved));
        }
    }

    /** Adds a written relation; writing through an (auto-updatable) view writes its base tables. */
    void addWrite(AnalysisBuilder out, QualifiedName written) {
        QualifiedName resolved = relation(written);
        out.writes.add(resolved);
        if (catalog.isView(resolved)) {
            out.writes.addAll(catalog.viewBaseTables(resolved));
        }
    }

    /** A name as JSqlParser prints it ({@code a}, {@code s.a}, {@code "S"."a"}, {@code db.s.a}) back to a QualifiedName. */
    static QualifiedName parse(String printed) {
        try {
            TokenReader reader = new TokenReader(SqlLexer.tokenize(printed));
            QualifiedName name = reader.name();
            return name != null && reader.atEnd() ? name : null;
        } catch (SqlLexException e) {
            return null;
        }
    }

    /** A JSqlParser table reference (its name parts are stored innermost first, so use the named getters). */
    static QualifiedName of(net.sf.jsqlparser.schema.Table table) {
        if (table == null || table.getName() == null) {
            throw new IllegalStateException("statement without a target table");
        }
        java.util.List<String> parts = new java.util.ArrayList<>(2);
        if (table.getSchemaName() != null) {
            parts.add(table.getSchemaName());
        }
        parts.add(table.getName());
        return fromParts(parts);
    }

    /** Parts as JSqlParser keeps them (quoted ones still quoted) to a QualifiedName of the last two. */
    static QualifiedName fromParts(List<String> parts) {
        if (parts == null || parts.isEmpty()) {
            return null;
        }
        String name = unquote(parts.get(parts.size() - 1));
        String schema = parts.size() > 1 ? unquote(parts.get(parts.size() - 2)) : null;
        return name == null ? null : new QualifiedName(schema, name);
    }

    private static String unquote(String part) {
        if (part == null || part.isEmpty()) {
            return null;
        }
        if (part.length() >= 2 && part.startsWith("\"") && part.endsWith("\"")) {
            return part.substring(1, part.length() - 1).replace("\"\"", "\"");
        }
        return SqlLexer.foldAscii(part);
    }
}
