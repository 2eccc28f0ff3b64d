package dev.warden.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** NUL-terminated strings as the protocol carries them (always UTF-8 between Warden and peers). */
public final class WireStrings {
    private WireStrings() {}

    /**
     * Reads a C string starting at the reader index and moves past its terminator.
     *
     * @throws ProtocolException when no terminator exists before the end of the buffer
     */
    public static String readCString(ByteBuf buf) {
        int end = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new ProtocolException("string is not NUL-terminated");
        }
        String value = buf.toString(buf.readerIndex(), end - buf.readerIndex(), StandardCharsets.UTF_8);
        buf.readerIndex(end + 1);
        return value;
    }

    /** Decodes the C string that starts at {@code index} within a message body of {@code length} bytes. */
    public static String readCString(ByteBuf buf, int index, int length) {
        return readCString(buf.slice(index, length));
    }

    /** Skips a C string without decoding it; the cheap path when only later fields matter. */
    public static void skipCString(ByteBuf buf) {
        int end = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new ProtocolException("string is not NUL-terminated");
        }
        buf.readerIndex(end + 1);
    }

    public static void writeCString(ByteBuf buf, String value) {
        buf.writeCharSequence(value, StandardCharsets.UTF_8);
        buf.writeByte(0);
    }
}
