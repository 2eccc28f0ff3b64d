package dev.warden.proxy;

import dev.warden.protocol.pg.BackendType;
import dev.warden.protocol.pg.ProtocolCodes;
import dev.warden.protocol.pg.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;

/**
 * Walks the message boundaries of the server's byte stream without holding it back: a chunk is
 * forwarded as received (zero copy) unless a message in it is replaced, and this scanner follows
 * type bytes and lengths across chunk boundaries, the way pgbouncer relays a packet it has only
 * partly received. The few message bodies Warden needs (ReadyForQuery's status byte) are handed
 * over whole; when such a body is split across chunks its bytes are gathered into a side buffer.
 *
 * <p>The listener may replace a message when its header arrives (Warden's own ErrorResponse in
 * place of the server's, for a statement the gateway refused): the original bytes are dropped, even
 * when they span chunks, and the replacement is emitted in their place. To make that decision before
 * any byte of the message has left, a header split across chunks is held back (at most 4 bytes)
 * until it is complete.
 */
final class BackendStreamScanner {
    /** PostgreSQL never sends a message longer than this (MaxAllocSize, 1 GB - 1). */
    private static final int MAX_BACKEND_MESSAGE_LENGTH = 0x3FFF_FFFF;

    interface Listener {
        /**
         * @param body the whole body when {@link #wantsBody(byte, int)} said so, else null
         */
        void onBackendMessage(byte type, ByteBuf body, int bodyIndex, int bodyLength);

        /**
         * Whether {@link #onBackendMessage} needs this message's body, asked at its header; the length
         * lets a listener refuse bodies too big to gather.
         */
        default boolean wantsBody(byte type, int bodyLength) {
            return BackendStreamScanner.wantsBody(type);
        }

        /**
         * Called when a message's header is complete, before {@link #onBackendMessage}.
         *
         * @return a complete message to send instead (ownership passes to the scanner), or null to
         *     forward the original
         */
        default ByteBuf replacementFor(byte type) {
            return null;
        }

        /**
         * Whether this message must be held whole and offered to {@link #rewrite} before any byte of
         * it is sent (masking), asked at its header. Held messages lose the zero-copy path only when
         * they are split across chunks or actually rewritten.
         */
        default boolean holdsForRewrite(byte type, int bodyLength) {
            return false;
        }

        /**
         * A held message, complete: returns the whole message to send instead (type, length and body;
         * ownership passes to the scanner), or null to send it unchanged. {@link #onBackendMessage}
         * then sees the body that is sent.
         */
        default ByteBuf rewrite(byte type, ByteBuf body, int bodyIndex, int bodyLength) {
            return null;
        }
    }

    private final Listener listener;
    private final byte[] header = new byte[ProtocolCodes.TYPED_HEADER_LENGTH];
    private int headerFill;
    private int bodyRemaining;
    private boolean dropping;
    private byte currentType;
    private ByteBuf gathered;
    /** The message being gathered is held for {@link Listener#rewrite}: none of its bytes have been sent. */
    private boolean holding;

    BackendStreamScanner(Listener listener) {
        this.listener = listener;
    }

    /** Whether the bytes scanned so far end exactly at a message boundary (a message may be inserted). */
    boolean atMessageBoundary() {
        return headerFill == 0 && bodyRemaining == 0;
    }

    /** The bodies the relay always needs: ReadyForQuery's transaction status. */
    static boolean wantsBody(byte type) {
        return type == BackendType.READY_FOR_QUERY;
    }

    /**
     * A replacement ({@link Listener#rewrite} or {@link Listener#replacementFor}) of at most this many
     * bytes is copied out before the scan goes on, so a listener may build every such replacement in
     * the same memory (masking does, for its DataRows). Larger ones are handed on as they are.
     */
    static final int COPIED_REPLACEMENT_LIMIT = 1024;

    /**
     * Scans a chunk and hands what is to be sent to the client, in order, to {@code out}: the chunk
     * itself when nothing in it was replaced (the common case), else slices of it and replacements.
     * Takes ownership of {@code chunk}.
     */
    void scan(ByteBuf chunk, Consumer<ByteBuf> out) {
        Emitter emitter = new Emitter(chunk, out);
        try {
            scan(chunk, emitter);
        } catch (RuntimeException e) {
            emitter.abandon();
            throw e;
        }
        emitter.finish();
    }

    private void scan(ByteBuf chunk, Emitter emitter) {
        int index = chunk.readerIndex();
        int end = chunk.writerIndex();
        int heldFromEarlierChunks = headerFill;
        while (index < end) {
            if (bodyRemaining > 0) {
                int take = Math.min(bodyRemaining, end - index);
                if (gathered != null) {
                    gathered.writeBytes(chunk, index, take);
                }
                if (dropping) {
                    emitter.skip(index, index + take);
                }
                index += take;
                bodyRemaining -= take;
                if (bodyRemaining == 0) {
                    dropping = false;
                    finishGathered(emitter, index);
                }
                continue;
            }
            int headerStart = index;
            int held = 0;
            byte type;
            int length;
            if (headerFill == 0 && end - index >= ProtocolCodes.TYPED_HEADER_LENGTH) {
                // Fast path: the whole header is in this chunk.
                type = chunk.getByte(index);
                length = chunk.getInt(index + 1);
                index += ProtocolCodes.TYPED_HEADER_LENGTH;
            } else {
                header[headerFill++] = chunk.getByte(index++);
                if (headerFill < ProtocolCodes.TYPED_HEADER_LENGTH) {
                    continue;
                }
                // A header completes byte by byte only when it began in an earlier chunk (a whole
                // header inside this chunk takes the fast path), so it began at this chunk's start.
                headerFill = 0;
                headerStart = chunk.readerIndex();
                held = heldFromEarlierChunks;
                type = header[0];
                length = ((header[1] & 0xFF) << 24) | ((header[2] & 0xFF) << 16) | ((header[3] & 0xFF) << 8)
                        | (header[4] & 0xFF);
            }
            heldFromEarlierChunks = 0;
            int bodyLength = bodyLength(type, length);
            ByteBuf replacement = listener.replacementFor(type);
            if (replacement == null && listener.holdsForRewrite(type, bodyLength)) {
                index = holdBody(type, bodyLength, chunk, headerStart, index, end, held, emitter);
                continue;
            }
            if (replacement != null) {
                // The held bytes of earlier chunks are simply never sent.
                emitter.replace(headerStart, index, replacement);
                dropping = true;
            } else if (held > 0) {
                emitter.insertBefore(headerStart, Unpooled.copiedBuffer(header, 0, held));
            }
            index = startBody(type, bodyLength, chunk, index, end, emitter);
        }
        if (headerFill > 0) {
            // Hold back the start of a header until the decision about its message can be made.
            int heldHere = headerFill - heldFromEarlierChunks;
            emitter.holdTail(end - heldHere);
        }
    }

    /**
     * A message held for rewriting: when it is whole in this chunk it is offered at once and, if
     * unchanged, left in place (zero copy); otherwise its bytes are dropped as they pass and the
     * message (rewritten or rebuilt) is emitted where it ends.
     */
    private int holdBody(byte type, int bodyLength, ByteBuf chunk, int headerStart, int index, int end, int held,
            Emitter emitter) {
        if (end - index >= bodyLength) {
            ByteBuf rewritten = listener.rewrite(type, chunk, index, bodyLength);
            if (rewritten == null) {
                if (held > 0) {
                    emitter.insertBefore(headerStart, Unpooled.copiedBuffer(header, 0, held));
                }
                listener.onBackendMessage(type, chunk, index, bodyLength);
            } else {
                emitter.replace(headerStart, index + bodyLength, rewritten.retain());
                try {
                    listener.onBackendMessage(type, rewritten, ProtocolCodes.TYPED_HEADER_LENGTH,
                            rewritten.readableBytes() - ProtocolCodes.TYPED_HEADER_LENGTH);
                } finally {
                    rewritten.release();
                }
            }
            return index + bodyLength;
        }
        // The header bytes of this chunk are dropped; any held from earlier chunks were never sent.
        emitter.skip(headerStart, index);
        currentType = type;
        bodyRemaining = bodyLength;
        holding = true;
        dropping = true;
        gathered = chunk.alloc().heapBuffer(bodyLength);
        gathered.writeBytes(chunk, index, end - index);
        emitter.skip(index, end);
        bodyRemaining -= end - index;
        return end;
    }

    private int startBody(byte type, int bodyLength, ByteBuf chunk, int index, int end, Emitter emitter) {
        boolean wanted = listener.wantsBody(type, bodyLength);
        if (end - index >= bodyLength) {
            if (dropping) {
                emitter.skip(index, index + bodyLength);
                dropping = false;
            }
            listener.onBackendMessage(type, wanted ? chunk : null, index, bodyLength);
            return index + bodyLength;
        }
        currentType = type;
        bodyRemaining = bodyLength;
        if (wanted) {
            gathered = chunk.alloc().heapBuffer(bodyLength);
        } else {
            // Not needed: report at the start, the body streams through untouched.
            listener.onBackendMessage(type, null, 0, bodyLength);
        }
        int take = end - index;
        if (gathered != null) {
            gathered.writeBytes(chunk, index, take);
        }
        if (dropping) {
            emitter.skip(index, end);
        }
        bodyRemaining -= take;
        return end;
    }

    private void finishGathered(Emitter emitter, int position) {
        if (gathered == null) {
            return;
        }
        try {
            if (holding) {
                holding = false;
                emitHeld(emitter, position);
            } else {
                listener.onBackendMessage(currentType, gathered, gathered.readerIndex(), gathered.readableBytes());
            }
        } finally {
            gathered.release();
            gathered = null;
        }
    }

    /** A held message, gathered across chunks: its rewrite, or the original rebuilt, goes out where it ended. */
    private void emitHeld(Emitter emitter, int position) {
        int length = gathered.readableBytes();
        ByteBuf rewritten = listener.rewrite(currentType, gathered, gathered.readerIndex(), length);
        ByteBuf message = rewritten;
        if (message == null) {
            message = gathered.alloc().buffer(ProtocolCodes.TYPED_HEADER_LENGTH + length);
            message.writeByte(currentType).writeInt(length + 4).writeBytes(gathered, gathered.readerIndex(), length);
        }
        emitter.insertBefore(position, message.retain());
        try {
            listener.onBackendMessage(currentType, message, ProtocolCodes.TYPED_HEADER_LENGTH,
                    message.readableBytes() - ProtocolCodes.TYPED_HEADER_LENGTH);
        } finally {
            message.release();
        }
    }

    private static int bodyLength(byte type, int length) {
        if (length < 4 || length > MAX_BACKEND_MESSAGE_LENGTH) {
            throw new ProtocolException("upstream sent message '" + (char) type + "' with invalid length " + length);
        }
        return length - 4;
    }

    /** Frees a partly gathered body when the connection ends mid-message. */
    void release() {
        holding = false;
        if (gathered != null) {
            gathered.release();
            gathered = null;
        }
    }

    /**
     * Turns the scan of one chunk into output buffers: the whole chunk when it passes unchanged,
     * otherwise the kept ranges with replacements in between. Pieces up to
     * {@link #COPIED_REPLACEMENT_LIMIT} (a masked DataRow, the few bytes between two of them) are
     * copied into one buffer rather than each becoming a write of its own: a masked result replaces
     * every row, and a write per row cost more than the masking. Longer unchanged stretches still go
     * as retained slices (zero copy).
     */
    private static final class Emitter {
        private final ByteBuf chunk;
        private final Consumer<ByteBuf> out;
        private int forwardFrom;
        private int limit;
        private boolean changed;
        private ByteBuf coalesced;

        Emitter(ByteBuf chunk, Consumer<ByteBuf> out) {
            this.chunk = chunk;
            this.out = out;
            this.forwardFrom = chunk.readerIndex();
            this.limit = chunk.writerIndex();
        }

        /** Emits what precedes {@code start}, then {@code replacement}; drops [start, end). */
        void replace(int start, int end, ByteBuf replacement) {
            flushUpTo(start);
            emit(replacement);
            forwardFrom = end;
            changed = true;
        }

        void insertBefore(int position, ByteBuf inserted) {
            flushUpTo(position);
            emit(inserted);
            changed = true;
        }

        /** Drops [start, end); everything before start has been emitted or dropped already. */
        void skip(int start, int end) {
            flushUpTo(start);
            forwardFrom = end;
            changed = true;
        }

        void holdTail(int from) {
            limit = from;
            changed = true;
        }

        private void emit(ByteBuf message) {
            if (message.readableBytes() <= COPIED_REPLACEMENT_LIMIT) {
                try {
                    // Absolute: the caller may still read the message (it holds its own reference). A
                    // masked row is a wrapped array: copied from it straight, not through a ByteBuffer view.
                    if (message.hasArray()) {
                        coalesced().writeBytes(message.array(), message.arrayOffset() + message.readerIndex(),
                                message.readableBytes());
                    } else {
                        coalesced().writeBytes(message, message.readerIndex(), message.readableBytes());
                    }
                } finally {
                    message.release();
                }
            } else {
                emitCoalesced();
                out.accept(message);
            }
        }

        private void flushUpTo(int position) {
            if (position > forwardFrom) {
                int length = position - forwardFrom;
                if (length <= COPIED_REPLACEMENT_LIMIT) {
                    coalesced().writeBytes(chunk, forwardFrom, length);
                } else {
                    emitCoalesced();
                    out.accept(chunk.retainedSlice(forwardFrom, length));
                }
            }
            forwardFrom = Math.max(forwardFrom, position);
        }

        private ByteBuf coalesced() {
            if (coalesced == null) {
                coalesced = chunk.alloc().buffer(Math.min(chunk.readableBytes() + 64, 64 * 1024));
            }
            return coalesced;
        }

        private void emitCoalesced() {
            if (coalesced != null) {
                ByteBuf pending = coalesced;
                coalesced = null;
                out.accept(pending);
            }
        }

        void finish() {
            if (!changed) {
                out.accept(chunk);
                return;
            }
            flushUpTo(limit);
            emitCoalesced();
            chunk.release();
        }

        void abandon() {
            chunk.release();
            if (coalesced != null) {
                coalesced.release();
                coalesced = null;
            }
        }
    }
}
