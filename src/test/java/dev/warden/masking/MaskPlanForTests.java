package dev.warden.masking;

import java.util.List;

/** Builds a {@link MaskPlan} with chosen column masking, without a catalog. */
record MaskPlanForTests(List<ResultColumn> columns, ColumnMasking[] masking) {
    MaskPlan plan() {
        return MaskPlan.forTests(columns, masking);
    }
}
