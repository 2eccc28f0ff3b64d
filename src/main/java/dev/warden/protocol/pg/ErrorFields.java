package dev.warden.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * The two fields of a server's ErrorResponse (or NoticeResponse) Warden acts on.
 *
 * @param sqlState field 'C', or null when absent
 * @param message field 'M', or null when absent
 */
public record ErrorFields(String sqlState, String message) {

    /** Reads the fields of a body positioned at its first field; consumes the body. */
    public static ErrorFields read(ByteBuf body) {
        String sqlState = null;
        String message = null;
        while (body.isReadable()) {
            byte field = body.readByte();
            if (field == 0) {
                break;
            }
            String value = WireStrings.readCString(body);
            if (field == 'C') {
                sqlState = value;
            } else if (field == 'M') {
                message = value;
            }
        }
        return new ErrorFields(sqlState, message);
    }
}
