package dev.warden.sql;

/** The WHERE clause of an UPDATE or DELETE (or a MERGE's match), for "unbounded write" rules. */
public enum WhereShape {
    /** The statement kind has no WHERE that bounds a write. */
    NOT_APPLICABLE,
    /** No WHERE at all: every row. */
    ABSENT,
    /** A WHERE that folds to true ({@code WHERE true}, {@code 1=1}, {@code x = -1 OR true}): every row. */
    CONSTANT_TRUE,
    /** A WHERE that depends on the rows, or {@code WHERE CURRENT OF}. */
    PRESENT
}
