package dev.warden.testing;

import dev.warden.protocol.pg.ScramClientExchange;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client that speaks the wire protocol byte by byte over a plain socket, for sending what no
 * driver would send. Every byte received is kept, so a test can assert what never reached the client.
 */
public final class RawPgClient implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    /** One backend message. */
    public record Message(char type, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The fields of an ErrorResponse or NoticeResponse by their code ('C', 'M', 'H' ...). */
        public Map<Character, String> fields() {
            Map<Character, String> fields = new LinkedHashMap<>();
            int i = 0;
            while (i < body.length && body[i] != 0) {
                char code = (char) body[i++];
                int end = i;
                while (body[end] != 0) {
                    end++;
                }
                fields.put(code, new String(body, i, end - i, StandardCharsets.UTF_8));
                i = end + 1;
            }
            return fields;
        }

        public String sqlState() {
            return fields().get('C');
        }

        public String message() {
            return fields().get('M');
        }

        @Override
        public String toString() {
            return type == 'E' || type == 'N' ? type + fields().toString() : type + "(" + body.length + " bytes)";
        }
    }

    public RawPgClient(String host, int port, Duration readTimeout) throws IOException {
        this.socket = new Socket(host, port);
        socket.setSoTimeout((int) readTimeout.toMillis());
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(new RecordingInputStream(socket.getInputStream()));
        this.out = socket.getOutputStream();
    }

    public RawPgClient(GatewayFixture gateway) throws IOException {
        this(gateway.host(), gateway.port(), Duration.ofSeconds(10));
    }

    public RawPgClient send(byte[]... parts) throws IOException {
        out.write(WireMessages.concat(parts));
        out.flush();
        return this;
    }

    /** Ends our side of the connection; the server still can answer. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    public int readByte() throws IOException {
        return in.read();
    }

    /** The next message, or null when the server closed the connection (or reset it). */
    public Message read() throws IOException {
        try {
            int type = in.read();
            if (type < 0) {
                return null;
            }
            int length = in.readInt();
            if (length < 4 || length > 1 << 20) {
                throw new IOException("server sent message '" + (char) type + "' with length " + length);
            }
            byte[] body = new byte[length - 4];
            in.readFully(body);
            return new Message((char) type, body);
        } catch (EOFException e) {
            return null;
        } catch (SocketException e) {
            if (e.getMessage() != null && e.getMessage().contains("reset")) {
                return null;
            }
            throw e;
        }
    }

    /** Reads until a message of the given type; fails on EOF. */
    public Message readUntil(char type) throws IOException {
        while (true) {
            Message message = read();
            if (message == null) {
                throw new EOFException("connection closed before a '" + type + "' message");
            }
            if (message.type() == type) {
                return message;
            }
            if (message.type() == 'E' && type != 'E') {
                throw new IOException("server sent an error while waiting for '" + type + "': " + message);
            }
        }
    }

    /** True when the server has closed the connection (after anything still buffered). */
    public boolean closedByServer() throws IOException {
        try {
            while (true) {
                if (read() == null) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Sends a StartupMessage and answers SCRAM with {@code password}; returns the first message after the exchange. */
    public Message login(Map<String, String> startup, String password) throws IOException {
        send(WireMessages.startup(startup));
        return scram(password);
    }

    /** Expects AuthenticationSASL next, then runs SCRAM-SHA-256 with {@code password}. */
    public Message scram(String password) throws IOException {
        Message sasl = read();
        requireAuthentication(sasl, 10);
        ScramClientExchange exchange = new ScramClientExchange(password, RANDOM);
        send(WireMessages.saslInitialResponse("SCRAM-SHA-256", exchange.clientFirstMessage()));
        Message serverFirst = read();
        requireAuthentication(serverFirst, 11);
        byte[] serverFirstData = java.util.Arrays.copyOfRange(serverFirst.body(), 4, serverFirst.body().length);
        send(WireMessages.saslResponse(exchange.clientFinalMessage(serverFirstData)));
        Message next = read();
        if (next != null && next.type() == 'R' && authCode(next) == 12) {
            exchange.verifyServerFinal(java.util.Arrays.copyOfRange(next.body(), 4, next.body().length));
            return read();
        }
        return next;
    }

    /** The server-first-message of a SCRAM exchange started for the given startup parameters. */
    public String serverFirstMessage(Map<String, String> startup) throws IOException {
        send(WireMessages.startup(startup));
        requireAuthentication(read(), 10);
        send(WireMessages.saslInitialResponse("SCRAM-SHA-256", "n,,n=,r=fixedclientnonce"));
        Message serverFirst = read();
        requireAuthentication(serverFirst, 11);
        return new String(serverFirst.body(), 4, serverFirst.body().length - 4, StandardCharsets.UTF_8);
    }

    public static int authCode(Message message) {
        return ByteBuffer.wrap(message.body()).getInt();
    }

    private static void requireAuthentication(Message message, int code) throws IOException {
        if (message == null || message.type() != 'R' || authCode(message) != code) {
            throw new IOException("expected Authentication code " + code + ", got " + message);
        }
    }

    /** Every byte the server sent on this connection so far. */
    public byte[] received() {
        return received.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private final class RecordingInputStream extends InputStream {
        private final InputStream delegate;

        RecordingInputStream(InputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                received.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                received.write(buffer, offset, n);
            }
            return n;
        }
    }
}
