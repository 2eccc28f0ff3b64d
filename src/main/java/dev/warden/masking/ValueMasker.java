package dev.warden.masking;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Replaces one column value according to a strategy, writing a value of the column's own type in
 * the column's format (text or binary) so that clients decode the row without error, or NULL where
 * the type cannot hold a masked value (a date cannot say {@code ****}). Unknown types are NULL: fail
 * closed.
 */
public final class ValueMasker {
    private static final byte[] STARS = ContentScanner.REPLACEMENT.getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();
    /** Hash outputs of text columns carry this many bytes of the HMAC (as hex). */
    private static final int TEXT_HASH_BYTES = 12;

    private final MaskingKey key;

    /** @param key the HMAC key; null when no rule hashes (a hash rule then yields NULL: fail closed) */
    public ValueMasker(MaskingKey key) {
        this.key = key;
    }

    /** The masked value, or null for SQL NULL. */
    public byte[] mask(MaskStrategy strategy, int keepLast, long type, boolean binary, byte[] data, int from, int to) {
        return switch (strategy) {
            case NULL -> null;
            case FULL -> full(type, binary);
            case PARTIAL -> partial(type, binary, keepLast, data, from, to);
            case HASH -> hash(type, binary, data, from, to);
        };
    }

    private static byte[] full(long type, boolean binary) {
        if (PgTypes.isText(type)) {
            return STARS.clone();
        }
        if (PgTypes.isJson(type)) {
            return json(type, binary, "\"" + ContentScanner.REPLACEMENT + "\"");
        }
        return null;
    }

    private static byte[] partial(long type, boolean binary, int keepLast, byte[] data, int from, int to) {
        if (!PgTypes.isText(type)) {
            return full(type, binary);
        }
        String value = new String(data, from, to - from, StandardCharsets.UTF_8);
        if (type == PgTypes.BPCHAR) {
            value = value.stripTrailing();
        }
        int codePoints = value.codePointCount(0, value.length());
        // A value no longer than what would be kept is shown as nothing at all.
        if (codePoints <= keepLast * 2) {
            return STARS.clone();
        }
        String tail = value.substring(value.offsetByCodePoints(0, codePoints - keepLast));
        return (ContentScanner.REPLACEMENT + tail).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] hash(long type, boolean binary, byte[] data, int from, int to) {
        if (key == null) {
            return null;
        }
        if (PgTypes.isText(type)) {
            byte[] digest = key.hash(slice(data, from, to));
            return HEX.formatHex(digest, 0, TEXT_HASH_BYTES).getBytes(StandardCharsets.US_ASCII);
        }
        if (PgTypes.isJson(type)) {
            byte[] text = binary && type == PgTypes.JSONB ? slice(data, from + 1, to) : slice(data, from, to);
            return json(type, binary, "\"" + HEX.formatHex(key.hash(text), 0, TEXT_HASH_BYTES) + "\"");
        }
        if (PgTypes.isInteger(type)) {
            // The binary form is hashed as its text so both formats of one value hash alike.
            String canonical = binary ? Long.toString(readInteger(type, data, from, to)) : new String(data, from, to - from,
                    StandardCharsets.US_ASCII);
            long derived = ByteBuffer.wrap(key.hash(canonical.getBytes(StandardCharsets.US_ASCII))).getLong() & Long.MAX_VALUE;
            return integer(type, binary, derived);
        }
        if (type == PgTypes.NUMERIC && !binary) {
            long derived = ByteBuffer.wrap(key.hash(slice(data, from, to))).getLong() & Long.MAX_VALUE;
            return Long.toString(derived).getBytes(StandardCharsets.US_ASCII);
        }
        if (type == PgTypes.UUID) {
            byte[] canonical = binary ? slice(data, from, to) : uuidBytes(new String(data, from, to - from, StandardCharsets.US_ASCII));
            byte[] digest = key.hash(canonical);
            byte[] uuid = java.util.Arrays.copyOf(digest, 16);
            uuid[6] = (byte) ((uuid[6] & 0x0F) | 0x80); // version 8: custom
            uuid[8] = (byte) ((uuid[8] & 0x3F) | 0x80); // RFC 4122 variant
            return binary ? uuid : uuidText(uuid).getBytes(StandardCharsets.US_ASCII);
        }
        if (type == PgTypes.BYTEA) {
            byte[] digest = key.hash(slice(data, from, to));
            return binary ? digest : ("\\x" + HEX.formatHex(digest)).getBytes(StandardCharsets.US_ASCII);
        }
        return null;
    }

    private static byte[] json(long type, boolean binary, String jsonText) {
        byte[] text = jsonText.getBytes(StandardCharsets.UTF_8);
        if (binary && type == PgTypes.JSONB) {
            byte[] withVersion = new byte[text.length + 1];
            withVersion[0] = 1; // jsonb binary format version
            System.arraycopy(text, 0, withVersion, 1, text.length);
            return withVersion;
        }
        return text;
    }

    private static byte[] integer(long type, boolean binary, long positive) {
        if (type == PgTypes.INT2) {
            short value = (short) (positive % Short.MAX_VALUE);
            return binary ? ByteBuffer.allocate(2).putShort(value).array() : Short.toString(value).getBytes(StandardCharsets.US_ASCII);
        }
        if (type == PgTypes.INT4) {
            int value = (int) (positive % Integer.MAX_VALUE);
            return binary ? ByteBuffer.allocate(4).putInt(value).array() : Integer.toString(value).getBytes(StandardCharsets.US_ASCII);
        }
        return binary ? ByteBuffer.allocate(8).putLong(positive).array() : Long.toString(positive).getBytes(StandardCharsets.US_ASCII);
    }

    static long readInteger(long type, byte[] data, int from, int to) {
        ByteBuffer buffer = ByteBuffer.wrap(data, from, to - from);
        if (type == PgTypes.INT2 && to - from == 2) {
            return buffer.getShort();
        }
        if (type == PgTypes.INT4 && to - from == 4) {
            return buffer.getInt();
        }
        if (type == PgTypes.INT8 && to - from == 8) {
            return buffer.getLong();
        }
        throw new MaskingException("a binary integer of " + (to - from) + " bytes does not match its type");
    }

    private static byte[] uuidBytes(String text) {
        String hex = text.replace("-", "").replace("{", "").replace("}", "");
        if (hex.length() != 32) {
            throw new MaskingException("not a uuid");
        }
        return HEX.parseHex(hex);
    }

    private static String uuidText(byte[] uuid) {
        String hex = HEX.formatHex(uuid);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-" + hex.substring(16, 20)
                + "-" + hex.substring(20);
    }

    static byte[] slice(byte[] data, int from, int to) {
        return java.util.Arrays.copyOfRange(data, from, to);
    }

    /** The decimal text of a binary numeric, so detectors can read it; null for NaN and infinities. */
    static String numericText(byte[] data, int from, int to) {
        ByteBuffer buffer = ByteBuffer.wrap(data, from, to - from);
        int digits = buffer.getShort() & 0xFFFF;
        int weight = buffer.getShort();
        int sign = buffer.getShort() & 0xFFFF;
        buffer.getShort(); // display scale
        if (sign != 0 && sign != 0x4000) {
            return null;
        }
        StringBuilder text = new StringBuilder(sign == 0x4000 ? "-" : "");
        BigInteger value = BigInteger.ZERO;
        for (int i = 0; i < digits; i++) {
            value = value.multiply(BigInteger.valueOf(10_000)).add(BigInteger.valueOf(buffer.getShort()));
        }
        int scaleDigits = (digits - weight - 1) * 4;
        return text.append(new java.math.BigDecimal(value, scaleDigits).toPlainString()).toString();
    }
}
