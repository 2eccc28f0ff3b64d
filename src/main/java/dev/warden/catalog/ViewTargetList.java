package dev.warden.catalog;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each column of a view comes from, read from the view's stored query tree
 * ({@code pg_rewrite.ev_action}, the text form of PostgreSQL's nodes): every top-level TARGETENTRY
 * carries {@code :resno} (the view's column), {@code :resorigtbl} and {@code :resorigcol} (the
 * source column of a plain reference, 0 for a computed one) — the same origin PostgreSQL reports in
 * RowDescription. Only the outermost query's target list is read; subqueries nest deeper.
 */
final class ViewTargetList {
    /** Depth of the outer query's fields: "(" of the rule list, "{" of the QUERY node. */
    private static final int QUERY_FIELDS = 2;
    /** Depth of a top-level TARGETENTRY's fields: the target list's "(", then the entry's "{". */
    private static final int ENTRY_FIELDS = 4;

    private ViewTargetList() {}

    /**
     * The origin of each view column by its number: a {@link CatalogSnapshot.ColumnReference}, or one
     * with relation 0 for a computed column; empty when the text is not of the expected shape.
     */
    static Optional<Map<Integer, CatalogSnapshot.ColumnReference>> parse(String nodeText) {
        int targetList = findKey(nodeText, ":targetList", QUERY_FIELDS);
        if (targetList < 0) {
            return Optional.empty();
        }
        Map<Integer, CatalogSnapshot.ColumnReference> origins = new HashMap<>();
        int depth = QUERY_FIELDS;
        long resno = -1;
        long table = -1;
        long column = -1;
        for (int at = targetList + ":targetList".length(); at < nodeText.length(); at++) {
            char c = nodeText.charAt(at);
            if (c == '\\') {
                at++;
            } else if (c == '(' || c == '{') {
                depth++;
            } else if (c == ')' || c == '}') {
                if (depth == ENTRY_FIELDS && c == '}') {
                    if (resno <= 0 || table < 0 || column < 0) {
                        return Optional.empty();
                    }
                    origins.put((int) resno, new CatalogSnapshot.ColumnReference(table, (int) column));
                    resno = table = column = -1;
                }
                if (--depth == QUERY_FIELDS) {
                    return Optional.of(origins);
                }
            } else if (c == ':' && depth == ENTRY_FIELDS) {
                if (nodeText.startsWith(":resno ", at)) {
                    resno = number(nodeText, at + ":resno ".length());
                } else if (nodeText.startsWith(":resorigtbl ", at)) {
                    table = number(nodeText, at + ":resorigtbl ".length());
                } else if (nodeText.startsWith(":resorigcol ", at)) {
                    column = number(nodeText, at + ":resorigcol ".length());
                }
            }
        }
        return Optional.empty();
    }

    /** Where {@code key} appears as a field at {@code fieldDepth}, or -1. */
    private static int findKey(String text, String key, int fieldDepth) {
        int depth = 0;
        for (int at = 0; at < text.length(); at++) {
            char c = text.charAt(at);
            if (c == '\\') {
                at++;
            } else if (c == '(' || c == '{') {
                depth++;
            } else if (c == ')' || c == '}') {
                depth--;
            } else if (c == ':' && depth == fieldDepth && text.startsWith(key + " ", at)) {
                return at;
            }
        }
        return -1;
    }

    private static long number(String text, int from) {
        int end = from;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end == from ? -1 : Long.parseLong(text.substring(from, end));
    }
}
