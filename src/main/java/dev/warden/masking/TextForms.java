package dev.warden.masking;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Set;

/** Which text forms can have a detector's finding cut out of them and still be a valid value. */
final class TextForms {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Built-in types whose text is a number, date, time, address or id: a cut would not parse. */
    private static final Set<Long> NOT_REPLACEABLE = Set.of(16L, 20L, 21L, 23L, 26L, 700L, 701L, 790L, 1082L, 1083L,
            1114L, 1184L, 1186L, 1266L, 1700L, 2950L, 869L, 650L, 829L, 774L, 17L, 18L, 1560L, 1562L, 3220L,
            // arrays of those: an element cut to "****" would not parse either
            1000L, 1005L, 1007L, 1016L, 1021L, 1022L, 1028L, 1182L, 1183L, 1115L, 1185L, 1187L, 1231L, 2951L);

    private TextForms() {}

    /**
     * Text, json, arrays, records and types Warden does not know: "****" in place of a finding keeps
     * them readable (an array or record element is text until the client parses it as its type).
     */
    static boolean replaceable(long type) {
        return !NOT_REPLACEABLE.contains(type);
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
