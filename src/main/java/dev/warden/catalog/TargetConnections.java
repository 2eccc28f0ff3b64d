package dev.warden.catalog;

import dev.warden.config.SecretUnavailableException;
import dev.warden.config.TargetConfig;
import dev.warden.config.UpstreamCredential;
import dev.warden.config.UpstreamTlsMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/** JDBC connections of the gateway's own to a target (catalog reads, row estimates), with its TLS settings. */
final class TargetConnections {
    private TargetConnections() {}

    static Connection open(TargetConfig target, UpstreamCredential credential, String applicationName,
            Duration connectTimeout, int socketTimeoutSeconds) throws SQLException, SecretUnavailableException {
        Properties properties = new Properties();
        properties.setProperty("user", credential.user());
        properties.setProperty("password", credential.password().resolve());
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        properties.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
        properties.setProperty("sslmode", switch (target.tls()) {
            case DISABLE -> "disable";
            case REQUIRE -> "require";
            case VERIFY_FULL -> "verify-full";
        });
        if (target.tls() == UpstreamTlsMode.VERIFY_FULL) {
            properties.setProperty("sslrootcert", target.caFile().toString());
        }
        String url = "jdbc:postgresql://" + target.host() + ":" + target.port() + "/" + target.database();
        return DriverManager.getConnection(url, properties);
    }
}
