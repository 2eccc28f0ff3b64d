package dev.warden.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How CLI commands reach the control plane: its URL and the caller's identity. The token is read
 * from a file or the environment, never from the command line, where shell history and the process
 * list would keep it.
 */
final class ControlOptions {
    static final String DEFAULT_URL = "http://127.0.0.1:7070";

    @Option(names = "--url", paramLabel = "URL", description = "the control plane (default: $WARDEN_URL, else " + DEFAULT_URL + ")")
    String url;

    @Option(names = "--user", paramLabel = "NAME", description = "your identity (default: $WARDEN_USER)")
    String user;

    @Option(names = "--token-file", paramLabel = "FILE", description = "a file holding your token (default: $WARDEN_TOKEN)")
    Path tokenFile;

    /** @throws IllegalArgumentException with a message fit for the user when something is missing */
    ControlApiClient client() {
        String base = url != null ? url : envOr("WARDEN_URL", DEFAULT_URL);
        String name = user != null ? user : System.getenv("WARDEN_USER");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("who are you? pass --user NAME or set WARDEN_USER");
        }
        String token;
        if (tokenFile != null) {
            try {
                token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the token file " + tokenFile + ": " + e.getMessage());
            }
        } else {
            token = System.getenv("WARDEN_TOKEN");
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("no token: pass --token-file FILE or set WARDEN_TOKEN");
        }
        return new ControlApiClient(base, name, token);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
