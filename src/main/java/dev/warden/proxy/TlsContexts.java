package dev.warden.proxy;

import dev.warden.config.ClientTlsMode;
import dev.warden.config.ListenerConfig;
import dev.warden.config.TargetConfig;
import dev.warden.config.UpstreamTlsMode;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.net.ssl.SSLException;

/** Builds TLS contexts from configuration, once at start. */
final class TlsContexts {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {}

    /** The listener's server context, or null when it does not offer TLS. */
    static SslContext forListener(ListenerConfig listener) {
        if (listener.tls() == ClientTlsMode.OFF) {
            return null;
        }
        try {
            return SslContextBuilder.forServer(listener.certificateFile().toFile(), listener.privateKeyFile().toFile())
                    .protocols(PROTOCOLS)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new UncheckedIOException(new IOException("cannot load TLS certificate or key for listener "
                    + listener.host() + ":" + listener.port() + ": " + e.getMessage(), e));
        }
    }

    /**
     * The client context for a target, or null for {@code disable}. {@code require} encrypts without
     * checking the certificate (libpq's sslmode=require); {@code verify-full} checks the chain against
     * the configured CA and the host name.
     */
    static SslContext forTarget(TargetConfig target) {
        if (target.tls() == UpstreamTlsMode.DISABLE) {
            return null;
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().protocols(PROTOCOLS);
            if (target.tls() == UpstreamTlsMode.VERIFY_FULL) {
                builder.trustManager(target.caFile().toFile());
            } else {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new UncheckedIOException(new IOException("cannot load TLS CA for target " + target.name() + ": " + e.getMessage(), e));
        }
    }
}
