package dev.warden.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Hand-built PostgreSQL v3 messages as byte arrays, written from protocol.html ("Message Formats")
 * rather than with the gateway's own encoders, so a test does not share a bug with the code it checks.
 */
public final class WireMessages {
    public static final int PROTOCOL_3_0 = 3 << 16;
    public static final int SSL_REQUEST_CODE = 80877103;
    public static final int CANCEL_REQUEST_CODE = 80877102;

    private WireMessages() {}

    /** A typed message: type byte, int32 length counting itself, body. */
    public static byte[] message(char type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    public static byte[] cstring(String value) {
        return concat(value.getBytes(StandardCharsets.UTF_8), new byte[] {0});
    }

    public static byte[] int32(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    public static byte[] int16(int value) {
        return ByteBuffer.allocate(2).putShort((short) value).array();
    }

    // --- startup packets (untyped) ---

    public static byte[] startup(int version, Map<String, String> parameters) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(int32(version));
        parameters.forEach((name, value) -> {
            body.writeBytes(cstring(name));
            body.writeBytes(cstring(value));
        });
        body.write(0);
        return concat(int32(4 + body.size()), body.toByteArray());
    }

    public static byte[] startup(Map<String, String> parameters) {
        return startup(PROTOCOL_3_0, parameters);
    }

    public static byte[] sslRequest() {
        return concat(int32(8), int32(SSL_REQUEST_CODE));
    }

    public static byte[] cancelRequest(int processId, int secretKey) {
        return concat(int32(16), int32(CANCEL_REQUEST_CODE), int32(processId), int32(secretKey));
    }

    // --- frontend ---

    public static byte[] query(String sql) {
        return message('Q', cstring(sql));
    }

    /** Parse with no parameter types given. */
    public static byte[] parse(String statement, String sql) {
        return message('P', concat(cstring(statement), cstring(sql), int16(0)));
    }

    /** Bind with text parameters and text results. */
    public static byte[] bind(String portal, String statement, String... parameters) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(cstring(portal));
        body.writeBytes(cstring(statement));
        body.writeBytes(int16(0));
        body.writeBytes(int16(parameters.length));
        for (String parameter : parameters) {
            byte[] value = parameter.getBytes(StandardCharsets.UTF_8);
            body.writeBytes(int32(value.length));
            body.writeBytes(value);
        }
        body.writeBytes(int16(0));
        return message('B', body.toByteArray());
    }

    public static byte[] describe(char target, String name) {
        return message('D', concat(new byte[] {(byte) target}, cstring(name)));
    }

    public static byte[] close(char target, String name) {
        return message('C', concat(new byte[] {(byte) target}, cstring(name)));
    }

    public static byte[] execute(String portal, int maxRows) {
        return message('E', concat(cstring(portal), int32(maxRows)));
    }

    public static byte[] sync() {
        return message('S', new byte[0]);
    }

    public static byte[] flush() {
        return message('H', new byte[0]);
    }

    public static byte[] terminate() {
        return message('X', new byte[0]);
    }

    public static byte[] saslInitialResponse(String mechanism, String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        return message('p', concat(cstring(mechanism), int32(bytes.length), bytes));
    }

    public static byte[] saslResponse(String data) {
        return message('p', data.getBytes(StandardCharsets.UTF_8));
    }

    // --- backend ---

    public static byte[] parseComplete() {
        return message('1', new byte[0]);
    }

    public static byte[] bindComplete() {
        return message('2', new byte[0]);
    }

    public static byte[] closeComplete() {
        return message('3', new byte[0]);
    }

    public static byte[] noData() {
        return message('n', new byte[0]);
    }

    public static byte[] parameterDescription(int... typeOids) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(int16(typeOids.length));
        for (int oid : typeOids) {
            body.writeBytes(int32(oid));
        }
        return message('t', body.toByteArray());
    }

    /** RowDescription of text columns with no source table. */
    public static byte[] rowDescription(String... columns) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(int16(columns.length));
        for (String column : columns) {
            body.writeBytes(cstring(column));
            body.writeBytes(int32(0));
            body.writeBytes(int16(0));
            body.writeBytes(int32(25));
            body.writeBytes(int16(-1));
            body.writeBytes(int32(-1));
            body.writeBytes(int16(0));
        }
        return message('T', body.toByteArray());
    }

    public static byte[] dataRow(String... values) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(int16(values.length));
        for (String value : values) {
            if (value == null) {
                body.writeBytes(int32(-1));
            } else {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                body.writeBytes(int32(bytes.length));
                body.writeBytes(bytes);
            }
        }
        return message('D', body.toByteArray());
    }

    public static byte[] commandComplete(String tag) {
        return message('C', cstring(tag));
    }

    public static byte[] emptyQueryResponse() {
        return message('I', new byte[0]);
    }

    public static byte[] portalSuspended() {
        return message('s', new byte[0]);
    }

    public static byte[] readyForQuery(char status) {
        return message('Z', new byte[] {(byte) status});
    }

    public static byte[] errorResponse(String sqlState, String text) {
        return message('E', concat(new byte[] {'S'}, cstring("ERROR"), new byte[] {'C'}, cstring(sqlState),
                new byte[] {'M'}, cstring(text), new byte[] {0}));
    }

    public static byte[] noticeResponse(String text) {
        return message('N', concat(new byte[] {'S'}, cstring("NOTICE"), new byte[] {'C'}, cstring("00000"),
                new byte[] {'M'}, cstring(text), new byte[] {0}));
    }

    public static byte[] parameterStatus(String name, String value) {
        return message('S', concat(cstring(name), cstring(value)));
    }
}
