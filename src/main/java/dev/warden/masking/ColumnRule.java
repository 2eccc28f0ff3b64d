package dev.warden.masking;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One masked column, by {@code schema.table.column} as written in the policy; resolved to a table
 * OID and attribute number through the target's catalog when a result arrives.
 *
 * @param jsonPath empty to mask the whole value; else the keys (and {@code *} for every array
 *     element) leading to the part of a json/jsonb value to mask, the rest of the document kept
 * @param keepLast for {@link MaskStrategy#PARTIAL}: how many trailing characters stay visible
 * @param line where the rule is in the policy file (0 for built-in rules)
 */
public record ColumnRule(String schema, String table, String column, List<String> jsonPath, MaskStrategy strategy,
        int keepLast, int line) {

    public ColumnRule {
        requireNonNull(schema, "schema is null");
        requireNonNull(table, "table is null");
        requireNonNull(column, "column is null");
        jsonPath = List.copyOf(jsonPath);
        requireNonNull(strategy, "strategy is null");
    }

    public static ColumnRule whole(String schema, String table, String column, MaskStrategy strategy) {
        return new ColumnRule(schema, table, column, List.of(), strategy, 0, 0);
    }

    public boolean isJsonPath() {
        return !jsonPath.isEmpty();
    }

    public String qualifiedColumn() {
        return schema + "." + table + "." + column;
    }
}
