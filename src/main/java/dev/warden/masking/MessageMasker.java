package dev.warden.masking;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Masks the text the server sends outside result rows: every human-readable field of ErrorResponse
 * and NoticeResponse ({@code Key (email)=(...) already exists}, {@code Failing row contains (...)}),
 * NotificationResponse channel and payload, ParameterStatus values and FunctionCallResponse values.
 * There is no plan for these, so the content detectors and the values this session had masked are
 * the net; an error about a masked table has its DETAIL replaced outright, since the server quotes
 * whole rows and keys there.
 */
final class MessageMasker {
    static final String HIDDEN_DETAIL = "Detail hidden by Warden: it may quote masked values.";
    /** Fields that are codes, positions and source locations, never data. */
    private static final Set<Byte> CODE_FIELDS = Set.of((byte) 'S', (byte) 'V', (byte) 'C', (byte) 'F', (byte) 'L',
            (byte) 'R', (byte) 'P', (byte) 'p');

    private final ContentScanner scanner;
    private final KnownValues known;

    MessageMasker(ContentScanner scanner, KnownValues known) {
        this.scanner = scanner;
        this.known = known;
    }

    /** A text with detector findings and known values replaced; null when unchanged. */
    String maskText(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] scanned = scanner.isEmpty() ? null : scanner.mask(bytes, 0, bytes.length);
        String result = scanned == null ? text : new String(scanned, StandardCharsets.UTF_8);
        String knownMasked = known.mask(result);
        if (knownMasked != null) {
            return knownMasked;
        }
        return scanned == null ? null : result;
    }

    /**
     * ErrorResponse/NoticeResponse body (type byte, C string)... 0; null when unchanged.
     *
     * @param statementReaches the statement that caused it reaches masked data: the server's message
     *     may quote a masked value (a failed cast quotes its input), so quoted parts of the message
     *     are masked and its detail, context and internal query are hidden
     * @param names the quoted parts that are names, left readable when the statement reaches masked data
     */
    byte[] maskFields(byte[] body, int from, int to, Set<String> maskedTables, boolean statementReaches,
            QuotedNames names) {
        boolean hideDetail = statementReaches;
        for (int at = from; at < to && body[at] != 0; ) {
            byte field = body[at];
            int end = cStringEnd(body, at + 1, to);
            if (field == 't' && maskedTables.contains(new String(body, at + 1, end - at - 1, StandardCharsets.UTF_8))) {
                hideDetail = true;
            }
            at = end + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from + 16);
        boolean changed = false;
        for (int at = from; at < to && body[at] != 0; ) {
            byte field = body[at];
            int end = cStringEnd(body, at + 1, to);
            String value = new String(body, at + 1, end - at - 1, StandardCharsets.UTF_8);
            String masked = null;
            if (hideDetail && (field == 'D' || field == 'W' || field == 'q')) {
                masked = HIDDEN_DETAIL;
            } else if (statementReaches && (field == 'M' || field == 'H')) {
                String quoted = maskQuoted(value, names);
                String scanned = maskText(quoted == null ? value : quoted);
                masked = scanned != null ? scanned : quoted;
            } else if (!CODE_FIELDS.contains(field)) {
                masked = maskText(value);
            }
            out.write(field);
            byte[] text = (masked == null ? value : masked).getBytes(StandardCharsets.UTF_8);
            out.write(text, 0, text.length);
            out.write(0);
            changed |= masked != null;
            at = end + 1;
        }
        out.write(0);
        return changed ? out.toByteArray() : null;
    }

    /**
     * Every "..." part of a server message that is not one of {@code names} with its content replaced (the
     * server quotes input values so); null when unchanged.
     */
    static String maskQuoted(String message, QuotedNames names) {
        StringBuilder out = new StringBuilder(message.length());
        boolean changed = false;
        int at = 0;
        while (at < message.length()) {
            int open = message.indexOf('"', at);
            if (open < 0) {
                out.append(message, at, message.length());
                break;
            }
            int close = message.indexOf('"', open + 1);
            int end = close < 0 ? message.length() : close;
            out.append(message, at, open + 1);
            String quoted = message.substring(open + 1, end);
            if (close >= 0 && names.isName(quoted)) {
                out.append(quoted);
            } else {
                out.append(ContentScanner.REPLACEMENT);
                changed = true;
            }
            if (close < 0) {
                break;
            }
            out.append('"');
            at = close + 1;
        }
        return changed ? out.toString() : null;
    }

    /** NotificationResponse: int32 process id, channel, payload; null when unchanged. */
    byte[] maskNotification(byte[] body, int from, int to) {
        int channelEnd = cStringEnd(body, from + 4, to);
        int payloadEnd = cStringEnd(body, channelEnd + 1, to);
        String channel = new String(body, from + 4, channelEnd - from - 4, StandardCharsets.UTF_8);
        String payload = new String(body, channelEnd + 1, payloadEnd - channelEnd - 1, StandardCharsets.UTF_8);
        String maskedChannel = maskText(channel);
        String maskedPayload = maskText(payload);
        if (maskedChannel == null && maskedPayload == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, from, 4);
        writeCString(out, maskedChannel == null ? channel : maskedChannel);
        writeCString(out, maskedPayload == null ? payload : maskedPayload);
        return out.toByteArray();
    }

    /** ParameterStatus: name, value; null when unchanged. */
    byte[] maskParameterStatus(byte[] body, int from, int to) {
        int nameEnd = cStringEnd(body, from, to);
        int valueEnd = cStringEnd(body, nameEnd + 1, to);
        String value = new String(body, nameEnd + 1, valueEnd - nameEnd - 1, StandardCharsets.UTF_8);
        String masked = maskText(value);
        if (masked == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, from, nameEnd - from + 1);
        writeCString(out, masked);
        return out.toByteArray();
    }

    /** FunctionCallResponse: int32 length (-1 NULL), value. Its type is unknown here: a finding makes it NULL. */
    byte[] maskFunctionResult(byte[] body, int from, int to) {
        int length = RowMasker.readInt(body, from);
        if (length <= 0) {
            return null;
        }
        boolean found = scanner.finds(body, from + 4, from + 4 + length)
                || known.mask(new String(body, from + 4, length, StandardCharsets.UTF_8)) != null;
        return found ? new byte[] {-1, -1, -1, -1} : null;
    }

    private static int cStringEnd(byte[] body, int at, int to) {
        for (int i = at; i < to; i++) {
            if (body[i] == 0) {
                return i;
            }
        }
        throw new MaskingException("string field without its terminator");
    }

    private static void writeCString(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.write(0);
    }
}
