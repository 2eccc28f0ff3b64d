package dev.warden.masking;

import java.util.ArrayList;
import java.util.List;

/**
 * How each column of one result is masked, decided when its RowDescription arrives:
 * plain column references by their source's rules; whole rows of masked relations NULL; computed
 * columns (no source) masked in full when the statement reaches masked data anywhere (fail closed);
 * every column scanned by the content detectors when the subject's masking has any.
 */
public final class MaskPlan {
    private final List<ResultColumn> columns;
    private final ColumnMasking[] masking;
    private final boolean passThrough;
    /** Per column: only scanned, and its values are text that findings are cut out of (the common case). */
    private final boolean[] cutsFindingsOnly;

    private MaskPlan(List<ResultColumn> columns, ColumnMasking[] masking) {
        this.columns = List.copyOf(columns);
        this.masking = masking;
        boolean any = false;
        for (ColumnMasking column : masking) {
            any |= !column.passes();
        }
        this.passThrough = !any;
        this.cutsFindingsOnly = new boolean[masking.length];
        for (int i = 0; i < masking.length && i < columns.size(); i++) {
            ColumnMasking column = masking[i];
            ResultColumn result = columns.get(i);
            cutsFindingsOnly[i] = column.scan() && column.whole() == null && column.jsonPaths().isEmpty()
                    && TextForms.cutsFindings(result.typeOid(), result.binary());
        }
    }

    /**
     * @param statementReachesMasked the statement's text reaches masked data (see {@link MaskedReferences})
     * @param scan the content detectors run on every value
     */
    public static MaskPlan of(List<ResultColumn> columns, ResolvedMasking resolved, boolean statementReachesMasked,
            boolean scan) {
        ColumnMasking[] masking = new ColumnMasking[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            masking[i] = decide(columns.get(i), resolved, statementReachesMasked, scan);
        }
        return new MaskPlan(columns, masking);
    }

    /** Every column masked in full: for rows whose description Warden never saw (fail closed). */
    public static MaskPlan failClosed(int columnCount) {
        List<ResultColumn> unknown = new ArrayList<>();
        ColumnMasking[] masking = new ColumnMasking[columnCount];
        for (int i = 0; i < columnCount; i++) {
            unknown.add(new ResultColumn(0, 0, 0, false));
            masking[i] = new ColumnMasking(ColumnMasking.WHOLE_ROW, List.of(), false);
        }
        return new MaskPlan(unknown, masking);
    }

    /** A plan with chosen masking per column (unit tests of the row and COPY maskers). */
    static MaskPlan forTests(List<ResultColumn> columns, ColumnMasking[] masking) {
        return new MaskPlan(columns, masking.clone());
    }

    private static ColumnMasking decide(ResultColumn column, ResolvedMasking resolved, boolean reaches, boolean scan) {
        if (column.tableOid() != 0 && column.attribute() > 0) {
            List<ColumnRule> rules = resolved.rulesFor(column.tableOid(), column.attribute());
            ColumnRule whole = rules.stream().filter(rule -> !rule.isJsonPath()).findFirst().orElse(null);
            if (whole != null) {
                return new ColumnMasking(whole, List.of(), scan);
            }
            if (!rules.isEmpty()) {
                if (!PgTypes.isJson(column.typeOid())) {
                    // A JSON-path rule on a column the result does not carry as json (a cast kept its source).
                    return new ColumnMasking(ColumnMasking.FAIL_CLOSED, List.of(), scan);
                }
                return new ColumnMasking(null, rules, scan);
            }
        } else if (column.tableOid() != 0) {
            if (resolved.isMaskedRelation(column.tableOid())) {
                return new ColumnMasking(ColumnMasking.WHOLE_ROW, List.of(), false);
            }
        } else if (reaches) {
            return new ColumnMasking(ColumnMasking.FAIL_CLOSED, List.of(), scan);
        }
        return scan ? ColumnMasking.SCAN : ColumnMasking.PASS;
    }

    public boolean isPassThrough() {
        return passThrough;
    }

    public int columnCount() {
        return masking.length;
    }

    ResultColumn column(int i) {
        return columns.get(i);
    }

    /** Decided once per result rather than per value: every value of a scanned result asks. */
    boolean cutsFindingsOnly(int i) {
        return cutsFindingsOnly[i];
    }

    ColumnMasking masking(int i) {
        return masking[i];
    }

    /** Whether a column's values are replaced by a rule (for the recording's "masked" note). */
    public boolean masksColumn(int i) {
        return masking[i].whole() != null || !masking[i].jsonPaths().isEmpty();
    }
}
