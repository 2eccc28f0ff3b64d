package dev.warden.protocol.pg;

/** Fixed numbers of the PostgreSQL v3 wire protocol (protocol.html, "Message Formats"). */
public final class ProtocolCodes {
    /** Major 3, minor 0: the version every released client speaks by default. */
    public static final int PROTOCOL_3_0 = 3 << 16;

    public static final int SSL_REQUEST_CODE = 80877103;
    public static final int GSSENC_REQUEST_CODE = 80877104;
    public static final int CANCEL_REQUEST_CODE = 80877102;

    /** PostgreSQL refuses startup packets above this size (MAX_STARTUP_PACKET_LENGTH). */
    public static final int MAX_STARTUP_PACKET_LENGTH = 10_000;

    /** Every typed message: one type byte, then an int32 length that counts itself. */
    public static final int TYPED_HEADER_LENGTH = 5;

    private ProtocolCodes() {}
}
