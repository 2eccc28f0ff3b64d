package dev.warden.masking;

import java.util.Arrays;

/**
 * One row being rewritten value by value, into a buffer reused for every row of a session. Nothing is
 * copied until a value changes: then the row up to that value is copied in one go, and after it the
 * unchanged values between replacements, so an unchanged row costs no copy and a changed one a single
 * pass with no array per value. The buffer keeps room for a message header in front of the row, so
 * that the relay can send the rewritten row as a DataRow without copying it again; what
 * {@link #message} returns is valid until the next row starts. Not thread-safe: one per session.
 */
public final class RowRewrite {
    /** Type byte and int32 length of the protocol message the row becomes. */
    private static final int MESSAGE_HEADER = 5;
    private static final int INITIAL_CAPACITY = 512;
    /** A buffer grown beyond this by one large row is dropped at the next, so a session does not keep it. */
    private static final int RETAINED_CAPACITY = 64 * 1024;

    private byte[] bytes = new byte[INITIAL_CAPACITY];
    /** Where the next byte goes: the header room, then the row written so far. */
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
        length = MESSAGE_HEADER;
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

    /**
     * The rewritten row as a whole protocol message of type {@code type} (type byte, int32 length, the
     * row), which is {@code message(type)[0, messageLength())}.
     */
    public byte[] message(byte type) {
        bytes[0] = type;
        RowMasker.writeInt(bytes, 1, length - 1);
        return bytes;
    }

    public int messageLength() {
        return length;
    }

    byte[] toByteArray() {
        return Arrays.copyOfRange(bytes, MESSAGE_HEADER, length);
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
