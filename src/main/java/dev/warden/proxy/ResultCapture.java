package dev.warden.proxy;

import dev.warden.recording.RecordBodies;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The result rows of one statement as the client saw them, up to a cap in rows and bytes: the
 * recording's evidence of what data flowed. Beyond the cap rows are counted, not kept, and the
 * record says it was truncated. Text-format values are kept as text, binary ones as base64.
 */
final class ResultCapture {
    private final int maxRows;
    private final int maxBytes;
    private List<RecordBodies.Column> columns = List.of();
    private int[] formats = new int[0];
    private final List<List<String>> rows = new ArrayList<>();
    private long rowCount;
    private int bytes;
    private boolean truncated;
    private String masking;

    ResultCapture(int maxRows, int maxBytes) {
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
    }

    /** Whether a DataRow of this body length would still be kept. */
    boolean wants(int bodyLength) {
        return rows.size() < maxRows && bytes + bodyLength <= maxBytes;
    }

    /** Whether the rows came with a RowDescription (or are COPY data): an Execute's come without. */
    boolean described() {
        return !columns.isEmpty();
    }

    /**
     * The columns of the rows: from their RowDescription, or for rows that come without one (an
     * Execute's) as an earlier Describe gave them.
     */
    void describedAs(List<RecordBodies.Column> described) {
        int[] columnFormats = new int[described.size()];
        for (int i = 0; i < columnFormats.length; i++) {
            columnFormats[i] = described.get(i).format() == RecordBodies.Format.BINARY ? 1 : 0;
        }
        columns = List.copyOf(described);
        formats = columnFormats;
    }

    /** Counts a row; keeps it when {@code body} is given (the relay gathered it because {@link #wants} said so). */
    void onDataRow(ByteBuf buf, int index, int bodyLength) {
        rowCount++;
        if (buf == null || !wants(bodyLength)) {
            truncated = true;
            return;
        }
        // Absolute reads: no duplicate of the buffer per row (every row of every result passes here).
        int at = index;
        int end = index + bodyLength;
        int count = buf.getUnsignedShort(at);
        at += 2;
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = buf.getInt(at);
            at += 4;
            if (length < 0) {
                values.add(null);
                continue;
            }
            if (length > end - at) {
                throw new IndexOutOfBoundsException("a DataRow value runs past its message");
            }
            boolean binary = i < formats.length && formats[i] == 1;
            if (binary) {
                byte[] raw = new byte[length];
                buf.getBytes(at, raw);
                values.add(Base64.getEncoder().encodeToString(raw));
            } else {
                values.add(buf.toString(at, length, StandardCharsets.UTF_8));
            }
            at += length;
        }
        rows.add(values);
        bytes += bodyLength;
    }

    /**
     * A CopyData message of COPY TO STDOUT, or of COPY FROM STDIN as the client sent it: kept as one
     * value per message (text as text, binary COPY as base64) in a single column named "copy".
     */
    void onCopyData(ByteBuf buf, int index, int bodyLength) {
        rowCount++;
        if (buf == null || !wants(bodyLength)) {
            truncated = true;
            return;
        }
        if (columns.isEmpty()) {
            columns = List.of(new RecordBodies.Column("copy", 0, RecordBodies.Format.TEXT));
            formats = new int[] {0};
        }
        byte[] raw = new byte[bodyLength];
        buf.getBytes(index, raw);
        String text = new String(raw, StandardCharsets.UTF_8);
        boolean binary = !java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), raw);
        rows.add(List.of(binary ? Base64.getEncoder().encodeToString(raw) : text));
        bytes += bodyLength;
    }

    /** How the rows kept here were masked (see {@link RecordBodies#result(long, int, List, List, boolean, long, String)}). */
    void masking(String note) {
        masking = note;
    }

    boolean isEmpty() {
        return columns.isEmpty() && rowCount == 0;
    }

    long rowCount() {
        return rowCount;
    }

    /** The RESULT record body; the capture then starts over for the next statement of the message. */
    String drain(long statementSeq, int statementIndex) {
        // Rows whose description Warden never saw (forgotten, or described before it was tracked)
        // have no column names.
        List<RecordBodies.Column> described = columns;
        if (described.isEmpty() && !rows.isEmpty()) {
            List<RecordBodies.Column> unnamed = new ArrayList<>();
            for (int i = 0; i < rows.get(0).size(); i++) {
                unnamed.add(new RecordBodies.Column("?column" + (i + 1) + "?", 0, RecordBodies.Format.TEXT));
            }
            described = unnamed;
        }
        String body = RecordBodies.result(statementSeq, statementIndex, described, rows, truncated, rowCount, masking);
        columns = List.of();
        formats = new int[0];
        rows.clear();
        rowCount = 0;
        bytes = 0;
        truncated = false;
        masking = null;
        return body;
    }
}
