package dev.warden.masking;

import java.util.Arrays;

/**
 * One row being rewritten value by value, into a buffer reused for every row of a session. Nothing is
 * copied until a value changes: then the row up to that value is copied in one go, and after it the
 * unchanged values between replacements, so an unchanged row costs no copy and a changed one a single
 * pass with no array per value. What {@link #array()} holds is valid until the next row starts. Not
 * thread-safe: one per session.
 */
public final class RowRewrite {
    private static final int INITIAL_CAPACITY = 512;
    /** A buffer grown beyond this by one large row is dropped at the next, so a session does not keep it. */
    private static final int RETAINED_CAPACITY = 64 * 1024;

    private byte[] bytes = new byte[INITIAL_CAPACITY];
    private int length;
    private byte[] source;
    /** The source before this offset is already in the output, or replaced there. */
    private int copiedTo;
    private boolean changed;

    void start(byte[] row, int from) {
        if (bytes.length > RETAINED_CAPACITY) {
            bytes = new byte[INITIAL_CAPACITY];
        }
        source = row;
        copiedTo = from;
        length = 0;
        changed = false;
    }

    /**
     * Replaces the value whose int32 length field is at {@code lengthAt} and whose bytes end at
     * {@code end}: by {@code value}, or by SQL NULL when it is null.
     */
    void replace(int lengthAt, int end, byte[] value) {
        copyUnchangedBefore(lengthAt, end);
        if (value == null) {
            writeInt(-1);
        } else {
            writeInt(value.length);
            write(value, 0, value.length);
        }
    }

    /** Replaces the value at {@code lengthAt} (see {@link #replace}) by itself with the scanner's last findings cut out. */
    void replaceWithFindingsCut(int lengthAt, int end, ContentScanner scanner) {
        int from = lengthAt + 4;
        int maskedLength = scanner.maskedLength(from, end);
        copyUnchangedBefore(lengthAt, end);
        writeInt(maskedLength);
        ensureRoom(maskedLength);
        scanner.writeMasked(source, from, end, bytes, length);
        length += maskedLength;
    }

    /** Ends the row at {@code to}: whether a value changed (and then the rest of the row is copied). */
    boolean finish(int to) {
        if (changed) {
            write(source, copiedTo, to);
            copiedTo = to;
        }
        source = null;
        return changed;
    }

    /** The rewritten row is {@code array()[0, length())}. */
    public byte[] array() {
        return bytes;
    }

    public int length() {
        return length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    private void copyUnchangedBefore(int lengthAt, int end) {
        write(source, copiedTo, lengthAt);
        copiedTo = end;
        changed = true;
    }

    private void write(byte[] data, int from, int to) {
        int count = to - from;
        ensureRoom(count);
        System.arraycopy(data, from, bytes, length, count);
        length += count;
    }

    private void writeInt(int value) {
        ensureRoom(4);
        RowMasker.writeInt(bytes, length, value);
        length += 4;
    }

    private void ensureRoom(int count) {
        if (length + count > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
        }
    }
}
