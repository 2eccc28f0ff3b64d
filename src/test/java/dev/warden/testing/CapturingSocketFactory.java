package dev.warden.testing;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.SocketFactory;

/**
 * A socket factory for pgJDBC ({@code socketFactory=dev.warden.testing.CapturingSocketFactory}) that
 * keeps every byte the driver reads from the server, so a test can assert on what reached the
 * client, not only on what the driver decoded. One capture for the whole JVM: tests that use it
 * {@link #reset()} first and do not run in parallel.
 */
public final class CapturingSocketFactory extends SocketFactory {
    private static final ByteArrayOutputStream CAPTURED = new ByteArrayOutputStream();

    public static synchronized void reset() {
        CAPTURED.reset();
    }

    public static synchronized byte[] captured() {
        return CAPTURED.toByteArray();
    }

    private static synchronized void keep(byte[] bytes, int offset, int length) {
        CAPTURED.write(bytes, offset, length);
    }

    @Override
    public Socket createSocket() throws SocketException {
        return new CapturingSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = new CapturingSocket();
        socket.connect(new java.net.InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket(host.getHostAddress(), port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket(address, port);
    }

    private static final class CapturingSocket extends Socket {
        private InputStream capturing;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (capturing == null) {
                capturing = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        if (b >= 0) {
                            keep(new byte[] {(byte) b}, 0, 1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int read = super.read(buffer, offset, length);
                        if (read > 0) {
                            keep(buffer, offset, read);
                        }
                        return read;
                    }
                };
            }
            return capturing;
        }
    }
}
