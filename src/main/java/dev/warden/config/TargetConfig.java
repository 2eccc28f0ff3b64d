package dev.warden.config;

import static java.util.Objects.requireNonNull;

import dev.warden.identity.UpstreamAccess;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An upstream database clients can reach through the gateway.
 *
 * @param name the database name clients put in their startup message
 * @param database the database name on the upstream server
 * @param caFile PEM CA certificates for {@link UpstreamTlsMode#VERIFY_FULL}; null otherwise
 * @param readOnly the credential of a read-only role, used for every session by default
 * @param readWrite the credential used by identities with {@link UpstreamAccess#READ_WRITE}, if the target has one
 */
public record TargetConfig(
        String name,
        String host,
        int port,
        String database,
        UpstreamTlsMode tls,
        Path caFile,
        UpstreamCredential readOnly,
        Optional<UpstreamCredential> readWrite) {

    public TargetConfig {
        requireNonNull(name, "name is null");
        requireNonNull(host, "host is null");
        requireNonNull(database, "database is null");
        requireNonNull(tls, "tls is null");
        requireNonNull(readOnly, "readOnly is null");
        requireNonNull(readWrite, "readWrite is null");
        if (tls == UpstreamTlsMode.VERIFY_FULL && caFile == null) {
            throw new IllegalArgumentException("TLS mode verify-full needs a CA file");
        }
    }

    /**
     * The credential for sessions with the given access, or empty if this target has none for it. A
     * read-write identity on a target without a writer credential is refused at connect time rather
     * than silently downgraded, so that the client learns why its writes would fail.
     */
    public Optional<UpstreamCredential> credential(UpstreamAccess access) {
        return switch (requireNonNull(access, "access is null")) {
            case READ_ONLY -> Optional.of(readOnly);
            case READ_WRITE -> readWrite;
        };
    }
}
