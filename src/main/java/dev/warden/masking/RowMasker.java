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
    private final RowRewrite rewrite = new RowRewrite();

    RowMasker(ValueMasker values, ContentScanner scanner, KnownValues known) {
        this.values = values;
        this.json = new JsonPathMasker(values);
        this.scanner = scanner;
        this.known = known;
    }

    /** The masked row body, or null when nothing changed. */
    public byte[] mask(MaskPlan plan, byte[] body, int from, int to) {
        RowRewrite masked = rewrite(plan, body, from, to);
        return masked == null ? null : masked.toByteArray();
    }

    /**
     * The masked row body in a buffer that the next row reuses, or null when nothing changed: the relay
     * copies it straight into the message it sends, with no array of its own per row.
     */
    public RowRewrite rewrite(MaskPlan plan, byte[] body, int from, int to) {
        if (to - from < 2) {
            throw new MaskingException("row too short");
        }
        int count = ((body[from] & 0xFF) << 8) | (body[from + 1] & 0xFF);
        if (count != plan.columnCount()) {
            throw new MaskingException("row has " + count + " values but its description " + plan.columnCount());
        }
        rewrite.start(body, from);
        int at = from + 2;
        for (int i = 0; i < count; i++) {
            if (at + 4 > to) {
                throw new MaskingException("row truncated");
            }
            int lengthAt = at;
            int length = readInt(body, at);
            at += 4;
            if (length < 0) {
                continue;
            }
            if (at + length > to) {
                throw new MaskingException("value overruns its row");
            }
            maskValue(plan, i, body, lengthAt, at + length);
            at += length;
        }
        if (at != to) {
            throw new MaskingException("row has trailing bytes");
        }
        return rewrite.finish(to) ? rewrite : null;
    }

    /** Wraps a replacement value (null for SQL NULL) so that "unchanged" can be told from "now NULL". */
    private record Outcome(byte[] value) {}

    /** Masks the value whose length field is at {@code lengthAt} and which ends at {@code to}, into the rewrite. */
    private void maskValue(MaskPlan plan, int i, byte[] body, int lengthAt, int to) {
        int from = lengthAt + 4;
        if (plan.cutsFindingsOnly(i)) {
            // The common case, every text value of a scanned result: findings are cut out straight into the row.
            if (scanner.scan(body, from, to)) {
                rewrite.replaceWithFindingsCut(lengthAt, to, scanner);
            }
            return;
        }
        ColumnMasking masking = plan.masking(i);
        if (masking.passes()) {
            return;
        }
        ResultColumn column = plan.column(i);
        long type = column.typeOid();
        boolean binary = column.binary();
        if (masking.whole() != null) {
            known.remember(body, from, to);
            ColumnRule rule = masking.whole();
            byte[] masked = values.mask(rule.strategy(), rule.keepLast(), type, binary, body, from, to);
            // A hash or partial value is scanned too: a kept tail must not complete a card number.
            rewrite.replace(lengthAt, to, masked == null || !masking.scan() ? masked : scanned(type, binary, masked));
            return;
        }
        if (!masking.jsonPaths().isEmpty()) {
            byte[] masked = json.mask(masking.jsonPaths(), type, binary, body, from, to);
            rewrite.replace(lengthAt, to, masked == null || !masking.scan() ? masked : scanned(type, binary, masked));
            return;
        }
        // Only scanned, but a finding cannot simply be cut out (a number or date as text, a binary value).
        Outcome outcome = scanWhole(type, binary, body, from, to);
        if (outcome != null) {
            rewrite.replace(lengthAt, to, outcome.value);
        }
    }

    private byte[] scanned(long type, boolean binary, byte[] value) {
        if (TextForms.cutsFindings(type, binary)) {
            byte[] masked = scanner.mask(value, 0, value.length);
            return masked == null ? value : masked;
        }
        Outcome outcome = scanWhole(type, binary, value, 0, value.length);
        return outcome == null ? value : outcome.value;
    }

    /** Detectors over a value that findings cannot simply be cut out of; null when they find nothing. */
    private Outcome scanWhole(long type, boolean binary, byte[] data, int from, int to) {
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
