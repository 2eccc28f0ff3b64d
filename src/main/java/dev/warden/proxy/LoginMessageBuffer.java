package dev.warden.proxy;

import dev.warden.protocol.pg.ProtocolCodes;
import dev.warden.protocol.pg.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Accumulates the few typed messages of a login exchange (client authentication, upstream login)
 * and hands them out whole, refusing lengths over a small limit before buffering their bodies.
 * The query phase has its own zero-copy readers; logins are rare and small, so clarity wins here.
 */
final class LoginMessageBuffer {
    /** One complete message: its type and a slice of its body, valid until the next call. */
    record Message(byte type, ByteBuf body) {}

    private final int maxLength;
    private ByteBuf cumulation = Unpooled.EMPTY_BUFFER;

    LoginMessageBuffer(int maxLength) {
        this.maxLength = maxLength;
    }

    void append(ByteBufAllocator alloc, ByteBuf in) {
        cumulation = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, cumulation, in);
    }

    /** The type byte of the next message, or -1 when not even that has arrived. */
    int peekType() {
        return cumulation.isReadable() ? cumulation.getByte(cumulation.readerIndex()) : -1;
    }

    /**
     * @return the next complete message, or null until all of it has arrived
     * @throws ProtocolException for a length no login message may have
     */
    Message next() {
        if (cumulation.readableBytes() < ProtocolCodes.TYPED_HEADER_LENGTH) {
            return null;
        }
        byte type = cumulation.getByte(cumulation.readerIndex());
        int length = cumulation.getInt(cumulation.readerIndex() + 1);
        if (length < 4 || length > maxLength) {
            throw new ProtocolException("invalid length " + length + " of message type " + (type & 0xFF) + " during login");
        }
        if (cumulation.readableBytes() < 1 + length) {
            return null;
        }
        cumulation.skipBytes(ProtocolCodes.TYPED_HEADER_LENGTH);
        return new Message(type, cumulation.readSlice(length - 4));
    }

    /** Reads one untyped byte (the server's answer to SSLRequest). */
    int readByte() {
        return cumulation.isReadable() ? cumulation.readByte() : -1;
    }

    boolean isReadable() {
        return cumulation.isReadable();
    }

    /** Frees what is buffered; safe to call repeatedly. */
    void release() {
        if (cumulation != Unpooled.EMPTY_BUFFER) {
            cumulation.release();
            cumulation = Unpooled.EMPTY_BUFFER;
        }
    }

    /** Frees the buffer once everything in it has been consumed. */
    void releaseIfDrained() {
        if (!cumulation.isReadable()) {
            release();
        }
    }
}
