package dev.warden.masking;

import java.util.List;

/**
 * What happens to one column of a result.
 *
 * @param whole the rule replacing the whole value, or null
 * @param jsonPaths rules masking parts of a json/jsonb value (used when {@code whole} is null)
 * @param scan run the content detectors over the value
 */
record ColumnMasking(ColumnRule whole, List<ColumnRule> jsonPaths, boolean scan) {
    static final ColumnMasking PASS = new ColumnMasking(null, List.of(), false);
    static final ColumnMasking SCAN = new ColumnMasking(null, List.of(), true);
    static final ColumnRule FAIL_CLOSED = ColumnRule.whole("", "", "", MaskStrategy.FULL);
    static final ColumnRule WHOLE_ROW = ColumnRule.whole("", "", "", MaskStrategy.NULL);

    boolean passes() {
        return whole == null && jsonPaths.isEmpty() && !scan;
    }
}
