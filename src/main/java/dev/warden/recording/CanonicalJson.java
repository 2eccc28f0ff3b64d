package dev.warden.recording;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The one JSON encoding of a record body, so that the same content always gives the same bytes and
 * so the same hash: object keys sorted by UTF-16 code units, no insignificant whitespace, strings
 * escaped minimally ({@code \"}, {@code \\}, {@code \n}, other control characters and unpaired
 * surrogates as {@code \}{@code u00xx}), integers and decimals in plain notation.
 *
 * <p>Accepted values: {@code null}, {@link Boolean}, {@link String}, {@link Integer}, {@link Long},
 * {@link Short}, {@link Byte}, {@link BigInteger}, {@link BigDecimal}, {@link Map} with string keys,
 * and {@link Collection}s. Floating point values are refused: their text form is not something two
 * writers reliably agree on.
 */
public final class CanonicalJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {}

    public static String encode(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            writeString(out, text);
        } else if (value instanceof Boolean bool) {
            out.append(bool.booleanValue());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof BigDecimal decimal) {
            out.append(decimal.toPlainString());
        } else if (value instanceof Map<?, ?> map) {
            writeObject(out, map);
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object element : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(out, element);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("no canonical JSON form for " + value.getClass().getName());
        }
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map) {
        List<String> keys = new ArrayList<>(map.size());
        for (Object key : map.keySet()) {
            if (!(key instanceof String name)) {
                throw new IllegalArgumentException("object keys must be strings, not " + (key == null ? "null" : key.getClass().getName()));
            }
            keys.add(name);
        }
        // String.compareTo orders by UTF-16 code units, as RFC 8785 does.
        keys.sort(null);
        out.append('{');
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeString(out, keys.get(i));
            out.append(':');
            write(out, map.get(keys.get(i)));
        }
        out.append('}');
    }

    private static void writeString(StringBuilder out, String text) {
        out.append('"');
        int plain = plainPrefix(text);
        // Most text needs no escaping at all (SQL, names, hashes): copied in one go.
        out.append(text, 0, plain);
        for (int i = plain; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                out.append("\\\"");
            } else if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c < 0x20) {
                escape(out, c);
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                // An unpaired surrogate has no UTF-8 form; encoding it would silently turn it into '?'
                // and two different bodies would hash alike.
                escape(out, c);
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** How many leading characters are written as they are (no quote, backslash, control or surrogate). */
    private static int plainPrefix(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
                return i;
            }
        }
        return text.length();
    }

    private static void escape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
    }
}
