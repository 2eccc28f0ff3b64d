package dev.warden.config;

import java.util.Locale;

/** TLS toward the upstream database, named after libpq's {@code sslmode} values with the same meaning. */
public enum UpstreamTlsMode {
    DISABLE,
    /** Encrypted, but the server certificate is not checked: protects only against passive eavesdroppers. */
    REQUIRE,
    /** Encrypted, the certificate chains to the configured CA and names the configured host. */
    VERIFY_FULL;

    /** The spelling in the configuration file: {@code disable}, {@code require}, {@code verify-full}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
