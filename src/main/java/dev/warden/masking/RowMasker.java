package dev.warden.masking;

import java.nio.charset.StandardCharsets;

/**
 * Rewrites the values of one row (a DataRow body, or a tuple of binary COPY, which share the layout
 * int16 count, then per value int32 length or -1 and the bytes) by a {@link MaskPlan}. Returns a new
 * body only when a value changed, so unchanged rows keep the relay's zero-copy path. Not
 * thread-safe: one per session.
 */
public final class RowMasker {
    private final ValueMasker values;
    private final JsonPathMasker json;
    private final ContentScanner scanner;
    private final KnownValues known;

    RowMasker(ValueMasker values, ContentScanner scanner, KnownValues known) {
        this.values = values;
        this.json = new JsonPathMasker(values);
        this.scanner = scanner;
        this.known = known;
    }

    /** The masked row body, or null when nothing changed. */
    public byte[] mask(MaskPlan plan, byte[] body, int from, int to) {
        if (to - from < 2) {
            throw new MaskingException("row too short");
        }
        int count = ((body[from] & 0xFF) << 8) | (body[from + 1] & 0xFF);
        if (count != plan.columnCount()) {
            throw new MaskingException("row has " + count + " values but its description " + plan.columnCount());
        }
        byte[][] replaced = null;
        boolean[] nulled = null;
        int at = from + 2;
        for (int i = 0; i < count; i++) {
            if (at + 4 > to) {
                throw new MaskingException("row truncated");
            }
            int length = readInt(body, at);
            at += 4;
            if (length < 0) {
                continue;
            }
            if (at + length > to) {
                throw new MaskingException("value overruns its row");
            }
            Outcome outcome = maskValue(plan, i, body, at, at + length);
            if (outcome != null) {
                if (replaced == null) {
                    replaced = new byte[count][];
                    nulled = new boolean[count];
                }
                replaced[i] = outcome.value;
                nulled[i] = outcome.value == null;
            }
            at += length;
        }
        if (at != to) {
            throw new MaskingException("row has trailing bytes");
        }
        return replaced == null ? null : rebuild(body, from, count, replaced, nulled);
    }

    /** Wraps a replacement value (null for SQL NULL) so that "unchanged" can be told from "now NULL". */
    private record Outcome(byte[] value) {}

    private Outcome maskValue(MaskPlan plan, int i, byte[] body, int from, int to) {
        ColumnMasking masking = plan.masking(i);
        if (masking.passes()) {
            return null;
        }
        ResultColumn column = plan.column(i);
        long type = column.typeOid();
        boolean binary = column.binary();
        if (masking.whole() != null) {
            known.remember(body, from, to);
            ColumnRule rule = masking.whole();
            byte[] masked = values.mask(rule.strategy(), rule.keepLast(), type, binary, body, from, to);
            // A hash or partial value is scanned too: a kept tail must not complete a card number.
            return new Outcome(masked == null || !masking.scan() ? masked : scanned(type, binary, masked));
        }
        if (!masking.jsonPaths().isEmpty()) {
            byte[] masked = json.mask(masking.jsonPaths(), type, binary, body, from, to);
            return new Outcome(masked == null || !masking.scan() ? masked : scanned(type, binary, masked));
        }
        return scan(type, binary, body, from, to);
    }

    private byte[] scanned(long type, boolean binary, byte[] value) {
        Outcome outcome = scan(type, binary, value, 0, value.length);
        return outcome == null ? value : outcome.value;
    }

    /** Detectors over one value; null when they find nothing. */
    private Outcome scan(long type, boolean binary, byte[] data, int from, int to) {
        if (PgTypes.isText(type) || (!binary && TextForms.replaceable(type))) {
            byte[] masked = scanner.mask(data, from, to);
            return masked == null ? null : new Outcome(masked);
        }
        if (PgTypes.isJson(type)) {
            int start = binary && type == PgTypes.JSONB ? from + 1 : from;
            byte[] masked = scanner.mask(data, start, to);
            if (masked == null) {
                return null;
            }
            byte[] document = binary && type == PgTypes.JSONB ? prefixVersion(masked) : masked;
            return new Outcome(TextForms.isJson(masked) ? document : null);
        }
        if (binary && PgTypes.isInteger(type)) {
            byte[] text = Long.toString(ValueMasker.readInteger(type, data, from, to)).getBytes(StandardCharsets.US_ASCII);
            return scanner.finds(text, 0, text.length) ? new Outcome(null) : null;
        }
        if (binary && type == PgTypes.NUMERIC) {
            String text = ValueMasker.numericText(data, from, to);
            byte[] bytes = text == null ? new byte[0] : text.getBytes(StandardCharsets.US_ASCII);
            return scanner.finds(bytes, 0, bytes.length) ? new Outcome(null) : null;
        }
        // Text of a number or date type, or binary of anything else (arrays and records carry text
        // elements as UTF-8): a finding cannot be cut out without breaking the value, so it is NULL.
        return scanner.finds(data, from, to) ? new Outcome(null) : null;
    }

    private static byte[] prefixVersion(byte[] text) {
        byte[] withVersion = new byte[text.length + 1];
        withVersion[0] = 1;
        System.arraycopy(text, 0, withVersion, 1, text.length);
        return withVersion;
    }

    private static byte[] rebuild(byte[] body, int from, int count, byte[][] replaced, boolean[] nulled) {
        int size = 2;
        int at = from + 2;
        int[] lengths = new int[count];
        int[] offsets = new int[count];
        for (int i = 0; i < count; i++) {
            int length = readInt(body, at);
            at += 4;
            offsets[i] = at;
            lengths[i] = length;
            if (length > 0) {
                at += length;
            }
            size += 4;
            if (replaced[i] != null) {
                size += replaced[i].length;
            } else if (!nulled[i] && length > 0) {
                size += length;
            }
        }
        byte[] out = new byte[size];
        out[0] = (byte) (count >>> 8);
        out[1] = (byte) count;
        int write = 2;
        for (int i = 0; i < count; i++) {
            if (replaced[i] != null) {
                writeInt(out, write, replaced[i].length);
                System.arraycopy(replaced[i], 0, out, write + 4, replaced[i].length);
                write += 4 + replaced[i].length;
            } else if (nulled[i]) {
                writeInt(out, write, -1);
                write += 4;
            } else {
                writeInt(out, write, lengths[i]);
                if (lengths[i] > 0) {
                    System.arraycopy(body, offsets[i], out, write + 4, lengths[i]);
                }
                write += 4 + Math.max(0, lengths[i]);
            }
        }
        return out;
    }

    static int readInt(byte[] data, int at) {
        return ((data[at] & 0xFF) << 24) | ((data[at + 1] & 0xFF) << 16) | ((data[at + 2] & 0xFF) << 8) | (data[at + 3] & 0xFF);
    }

    static void writeInt(byte[] data, int at, int value) {
        data[at] = (byte) (value >>> 24);
        data[at + 1] = (byte) (value >>> 16);
        data[at + 2] = (byte) (value >>> 8);
        data[at + 3] = (byte) value;
    }
}
