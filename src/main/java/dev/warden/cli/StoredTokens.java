package dev.warden.cli;

import dev.warden.identity.ServiceToken;
import dev.warden.recording.TerminalText;
import dev.warden.recording.TextTable;
import dev.warden.store.ServiceTokenStore;
import dev.warden.store.StoreException;
import dev.warden.store.StoreLocation;
import dev.warden.config.YamlNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import picocli.CommandLine;

/** The service-token table of a {@code --store}, for the token commands, and how they show it. */
final class StoredTokens implements AutoCloseable {
    /** A token outliving a year is a password nobody rotates. */
    static final Duration MAX_TTL = Duration.ofDays(366);

    private final ServiceTokenStore store;

    private StoredTokens(ServiceTokenStore store) {
        this.store = store;
    }

    /**
     * Opens the store as the recording commands do: {@code sqlite:FILE} relative to the working
     * directory or {@code postgresql://...}, with a PostgreSQL login from WARDEN_STORE_USER and
     * WARDEN_STORE_PASSWORD, never from the command line.
     */
    static StoredTokens open(String spec) throws StoreException {
        StoreLocation location = StoreLocation.parse(spec, Path.of("."), System.getenv("WARDEN_STORE_USER"),
                System.getenv("WARDEN_STORE_PASSWORD"));
        return new StoredTokens(ServiceTokenStore.open(location));
    }

    ServiceTokenStore store() {
        return store;
    }

    static Duration parseTtl(CommandLine command, String text) {
        Duration ttl = YamlNode.parseDuration(text).orElseThrow(() -> new CommandLine.ParameterException(command,
                "--ttl must be a duration such as 30m, 8h or 30d"));
        if (ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new CommandLine.ParameterException(command, "--ttl must be more than 0 and at most 366d");
        }
        return ttl;
    }


    static String table(List<ServiceToken> tokens, Instant now) {
        TextTable table = TextTable.leftAligned(List.of("ID", "NAME", "TARGETS", "GROUPS", "ACCESS", "CREATED", "EXPIRES",
                "STATUS"));
        for (ServiceToken token : tokens) {
            String status = token.revokedAt().map(at -> "revoked " + seconds(at))
                    .orElse(now.isBefore(token.expiresAt()) ? "active" : "expired");
            table.addRow(List.of(token.id(), TerminalText.line(token.name()),
                    TerminalText.line(String.join(",", token.targets())), TerminalText.line(String.join(",", token.groups())),
                    token.access().configName(), seconds(token.createdAt()), seconds(token.expiresAt()), status));
        }
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        table.print(out, "");
        out.flush();
        return text.toString();
    }

    private static String seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Override
    public void close() {
        // Each store call opens and closes its own connection; nothing stays open.
    }
}
