package dev.warden.masking;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Which text forms can have a detector's finding cut out of them and still be a valid value. */
final class TextForms {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TextForms() {}

    /**
     * Text, json, arrays, records and types Warden does not know: "****" in place of a finding keeps
     * them readable (an array or record element is text until the client parses it as its type).
     */
    static boolean replaceable(long type) {
        if (type < 0 || type > Integer.MAX_VALUE) {
            return true;
        }
        // A switch rather than a Set<Long>: this runs for every value of such a column, and boxing the
        // OID and probing a set cost more than the detectors' pass over a short number.
        return switch ((int) type) {
            // Built-in types whose text is a number, date, time, address or id: a cut would not parse.
            case 16, 20, 21, 23, 26, 700, 701, 790, 1082, 1083, 1114, 1184, 1186, 1266, 1700, 2950, 869, 650, 829, 774,
                    17, 18, 1560, 1562, 3220 -> false;
            // Arrays of those: an element cut to "****" would not parse either.
            case 1000, 1005, 1007, 1016, 1021, 1022, 1028, 1182, 1183, 1115, 1185, 1187, 1231, 2951 -> false;
            default -> true;
        };
    }

    /** Whether findings are cut out of a value of this type and format (else the value is NULL or checked whole). */
    static boolean cutsFindings(long type, boolean binary) {
        return PgTypes.isText(type) || (!binary && replaceable(type));
    }

    static boolean isJson(byte[] text) {
        try {
            JSON.readTree(text);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
