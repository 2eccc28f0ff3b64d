package dev.warden.policy;

/**
 * What is known about the rows an UPDATE, DELETE or MERGE would touch, for rules with
 * {@code estimated_rows: {over: N}}.
 */
public record RowEstimate(Kind kind, long rows) {
    public enum Kind {
        /** No estimate could be made (none asked for, planner refused, timeout): assumed over every limit. */
        UNAVAILABLE,
        /** Not asked yet: the statement will be decided again with an estimate before it runs (a Parse). */
        PENDING,
        /** The planner's estimate. */
        KNOWN
    }

    public static final RowEstimate UNAVAILABLE = new RowEstimate(Kind.UNAVAILABLE, 0);
    public static final RowEstimate PENDING = new RowEstimate(Kind.PENDING, 0);

    public static RowEstimate of(long rows) {
        return new RowEstimate(Kind.KNOWN, Math.max(0, rows));
    }

    public boolean known() {
        return kind == Kind.KNOWN;
    }
}
