package dev.warden.proxy;

import dev.warden.protocol.pg.BackendType;
import dev.warden.protocol.pg.ProtocolCodes;
import dev.warden.protocol.pg.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * Walks the message boundaries of the server's byte stream without holding it back: every chunk
 * is forwarded as received (zero copy), and this scanner only follows type bytes and lengths across
 * chunk boundaries, the way pgbouncer relays a packet it has only partly received. The few message
 * bodies Warden needs (ReadyForQuery's status byte) are handed over whole; when such a body is split
 * across chunks its bytes are gathered into a small side buffer.
 */
final class BackendStreamScanner {
    /** PostgreSQL never sends a message longer than this (MaxAllocSize, 1 GB - 1). */
    private static final int MAX_BACKEND_MESSAGE_LENGTH = 0x3FFF_FFFF;

    interface Listener {
        /**
         * @param body the whole body when {@link #wantsBody(byte)} said so, else null
         */
        void onBackendMessage(byte type, ByteBuf body, int bodyIndex);
    }

    private final Listener listener;
    private final byte[] header = new byte[ProtocolCodes.TYPED_HEADER_LENGTH];
    private int headerFill;
    private int bodyRemaining;
    private byte currentType;
    private ByteBuf gathered;

    BackendStreamScanner(Listener listener) {
        this.listener = listener;
    }

    static boolean wantsBody(byte type) {
        return type == BackendType.READY_FOR_QUERY;
    }

    /** Scans a chunk; does not move its reader index or keep a reference to it. */
    void scan(ByteBuf chunk) {
        int index = chunk.readerIndex();
        int end = chunk.writerIndex();
        while (index < end) {
            if (bodyRemaining > 0) {
                int take = Math.min(bodyRemaining, end - index);
                if (gathered != null) {
                    gathered.writeBytes(chunk, index, take);
                }
                index += take;
                bodyRemaining -= take;
                if (bodyRemaining == 0) {
                    finishGathered();
                }
                continue;
            }
            if (headerFill == 0 && end - index >= ProtocolCodes.TYPED_HEADER_LENGTH) {
                // Fast path: the whole header is in this chunk.
                byte type = chunk.getByte(index);
                int bodyLength = bodyLength(type, chunk.getInt(index + 1));
                index += ProtocolCodes.TYPED_HEADER_LENGTH;
                index = startBody(type, bodyLength, chunk, index, end);
                continue;
            }
            header[headerFill++] = chunk.getByte(index++);
            if (headerFill == ProtocolCodes.TYPED_HEADER_LENGTH) {
                headerFill = 0;
                int length = ((header[1] & 0xFF) << 24) | ((header[2] & 0xFF) << 16)
                        | ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
                index = startBody(header[0], bodyLength(header[0], length), chunk, index, end);
            }
        }
    }

    private int startBody(byte type, int bodyLength, ByteBuf chunk, int index, int end) {
        boolean wanted = wantsBody(type);
        if (end - index >= bodyLength) {
            listener.onBackendMessage(type, wanted ? chunk : null, index);
            return index + bodyLength;
        }
        currentType = type;
        bodyRemaining = bodyLength;
        if (wanted) {
            gathered = chunk.alloc().heapBuffer(bodyLength);
        } else {
            // Not needed: report at the start, the body streams through untouched.
            listener.onBackendMessage(type, null, 0);
        }
        int take = end - index;
        if (gathered != null) {
            gathered.writeBytes(chunk, index, take);
        }
        bodyRemaining -= take;
        return end;
    }

    private void finishGathered() {
        if (gathered == null) {
            return;
        }
        try {
            listener.onBackendMessage(currentType, gathered, gathered.readerIndex());
        } finally {
            gathered.release();
            gathered = null;
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
        if (gathered != null) {
            gathered.release();
            gathered = null;
        }
    }
}
