package dev.warden.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * An address the gateway accepts PostgreSQL clients on.
 *
 * @param certificateFile PEM certificate chain; null when TLS is off and none was given
 * @param privateKeyFile PEM PKCS#8 private key; null when TLS is off and none was given
 */
public record ListenerConfig(String host, int port, ClientTlsMode tls, Path certificateFile, Path privateKeyFile) {

    public ListenerConfig {
        requireNonNull(host, "host is null");
        requireNonNull(tls, "tls is null");
        if (tls != ClientTlsMode.OFF && (certificateFile == null || privateKeyFile == null)) {
            throw new IllegalArgumentException("TLS mode " + tls.configName() + " needs a certificate and a key");
        }
    }
}
