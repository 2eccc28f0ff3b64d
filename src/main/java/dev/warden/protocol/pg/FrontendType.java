package dev.warden.protocol.pg;

/**
 * Type bytes of messages sent by the client. Backend types reuse several of the same letters
 * ('D', 'C', 'E', 'S', 'p' ...) with other meanings, hence two separate classes.
 */
public final class FrontendType {
    public static final byte QUERY = 'Q';
    public static final byte PARSE = 'P';
    public static final byte BIND = 'B';
    public static final byte DESCRIBE = 'D';
    public static final byte EXECUTE = 'E';
    public static final byte CLOSE = 'C';
    public static final byte SYNC = 'S';
    public static final byte FLUSH = 'H';
    public static final byte FUNCTION_CALL = 'F';
    public static final byte COPY_DATA = 'd';
    public static final byte COPY_DONE = 'c';
    public static final byte COPY_FAIL = 'f';
    public static final byte TERMINATE = 'X';
    /** PasswordMessage, SASLInitialResponse, SASLResponse and GSSResponse all use 'p'. */
    public static final byte AUTHENTICATION_RESPONSE = 'p';

    private FrontendType() {}
}
