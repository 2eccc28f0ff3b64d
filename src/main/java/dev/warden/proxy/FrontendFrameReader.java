package dev.warden.proxy;

import dev.warden.protocol.pg.ProtocolCodes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.function.Consumer;

/**
 * Cuts the client's byte stream into whole typed messages, enforcing the size limit as soon as a
 * header is seen, before any body is buffered. Complete messages leave as one retained slice per
 * read (no copy, one write upstream) unless the listener replaces one, in which case the slices
 * around it and the stand-in are emitted in order; an incomplete tail is kept for the next read.
 */
final class FrontendFrameReader {

    interface Listener {
        /** Sees each complete message; its body is {@code bodyLength} bytes at {@code bodyIndex}. */
        void onFrontendMessage(byte type, ByteBuf buf, int bodyIndex, int bodyLength);

        /**
         * Called for each complete message before {@link #onFrontendMessage}.
         *
         * @return a complete message to send upstream instead (ownership passes to the reader), or
         *     null to forward the original
         */
        default ByteBuf replacementFor(byte type, ByteBuf buf, int bodyIndex, int bodyLength) {
            return null;
        }
    }

    private final int maxMessageBytes;
    private ByteBuf cumulation;
    private boolean paused;

    /**
     * Stops after the message being handled: what follows stays buffered, undecided, until
     * {@link #resume} and the next {@link #read} (a decision that waits, such as a row estimate,
     * keeps later statements from being decided and recorded ahead of it).
     */
    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
    }

    FrontendFrameReader(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Takes ownership of {@code in}; hands what is to go upstream to {@code out}, in order.
     *
     * @throws MessageTooLargeException when a header announces more than the limit
     */
    void read(ByteBufAllocator alloc, ByteBuf in, Listener listener, Consumer<ByteBuf> out) {
        ByteBuf data = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, cumulation, in);
        cumulation = null;
        int forwardFrom = data.readerIndex();
        int position = forwardFrom;
        int end = data.writerIndex();
        try {
            while (!paused && end - position >= ProtocolCodes.TYPED_HEADER_LENGTH) {
                byte type = data.getByte(position);
                int length = data.getInt(position + 1);
                if (length < 4 || length > maxMessageBytes - 1) {
                    throw new MessageTooLargeException(type, length, maxMessageBytes);
                }
                if (end - position < 1 + length) {
                    break;
                }
                int bodyIndex = position + ProtocolCodes.TYPED_HEADER_LENGTH;
                ByteBuf replacement = listener.replacementFor(type, data, bodyIndex, length - 4);
                listener.onFrontendMessage(type, data, bodyIndex, length - 4);
                if (replacement != null) {
                    if (position > forwardFrom) {
                        out.accept(data.retainedSlice(forwardFrom, position - forwardFrom));
                    }
                    out.accept(replacement);
                    forwardFrom = position + 1 + length;
                }
                position += 1 + length;
            }
        } catch (RuntimeException e) {
            data.release();
            throw e;
        }
        if (position > forwardFrom) {
            out.accept(data.retainedSlice(forwardFrom, position - forwardFrom));
        }
        data.readerIndex(position);
        if (data.isReadable()) {
            cumulation = data;
        } else {
            data.release();
        }
    }

    void release() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    /** A frontend message over the configured limit, or with a length no message can have. */
    static final class MessageTooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient boolean invalid;

        MessageTooLargeException(byte type, int length, int limit) {
            super(length < 4
                    ? "invalid message length " + length + " for message type '" + printable(type) + "'"
                    : "message of type '" + printable(type) + "' is " + (length + 1L)
                            + " bytes, over the gateway's limit of " + limit + " bytes");
            this.invalid = length < 4;
        }

        boolean invalidLength() {
            return invalid;
        }

        private static String printable(byte type) {
            return type >= 0x20 && type < 0x7F ? String.valueOf((char) type) : String.format("0x%02x", type & 0xFF);
        }
    }
}
