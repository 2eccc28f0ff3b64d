package dev.warden.masking;

/** The type OIDs masking knows how to write (pg_type.oid, fixed for built-in types). */
final class PgTypes {
    static final long BOOL = 16;
    static final long BYTEA = 17;
    static final long CHAR = 18;
    static final long NAME = 19;
    static final long INT8 = 20;
    static final long INT2 = 21;
    static final long INT4 = 23;
    static final long TEXT = 25;
    static final long OID = 26;
    static final long JSON = 114;
    static final long XML = 142;
    static final long UNKNOWN = 705;
    static final long BPCHAR = 1042;
    static final long VARCHAR = 1043;
    static final long NUMERIC = 1700;
    static final long UUID = 2950;
    static final long JSONB = 3802;

    private PgTypes() {}

    /** Types whose text and binary forms are both the UTF-8 text itself. */
    static boolean isText(long type) {
        return type == TEXT || type == VARCHAR || type == BPCHAR || type == NAME || type == UNKNOWN || type == XML;
    }

    static boolean isJson(long type) {
        return type == JSON || type == JSONB;
    }

    static boolean isInteger(long type) {
        return type == INT2 || type == INT4 || type == INT8;
    }
}
