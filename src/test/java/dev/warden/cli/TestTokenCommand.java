package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.config.ConfigLoader;
import dev.warden.config.WardenConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.UpstreamAccess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class TestTokenCommand {

    private static final Pattern TOKEN = Pattern.compile("^    (wdn_[A-Za-z0-9_-]{43})$", Pattern.MULTILINE);
    private static final Pattern VERIFIER = Pattern.compile("^    verifier: \"([^\"]+)\"$", Pattern.MULTILINE);

    @Test
    void printsTokenAndAVerifierItSatisfies() throws Exception {
        CommandResult result = CommandResult.run("token", "create", "agent-1", "--groups", "agents,nightly", "--access", "read_write");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        String token = find(TOKEN, result.out());
        ScramVerifier verifier = ScramVerifier.parse(find(VERIFIER, result.out()));
        assertThat(verifier.iterations()).isEqualTo(4096);
        assertThat(verifier.salt()).hasSize(16);
        assertThat(storedKey(token, verifier.salt(), verifier.iterations())).isEqualTo(verifier.storedKey());
        assertThat(result.out())
                .contains("  - name: agent-1\n")
                .contains("    groups: [agents, nightly]\n")
                .contains("    access: read_write\n")
                .contains("not stored anywhere");
        // The token appears exactly once: nothing else should echo it.
        assertThat(result.out().split(Pattern.quote(token), -1)).hasSize(2);
    }

    @Test
    void snippetLoadsAsAnIdentity() throws Exception {
        CommandResult result = CommandResult.run("token", "create", "null", "--groups", "a:b,c#d");

        String snippet = result.out().lines()
                .dropWhile(line -> !line.startsWith("  - name:"))
                .takeWhile(line -> !line.isEmpty())
                .reduce("", (text, line) -> text + line + "\n");
        WardenConfig config = ConfigLoader.parse("""
                listeners: [{}]
                targets:
                  - { name: appdb, host: db, credentials: { read_only: { user: ro, password: env:PATH } } }
                identities:
                """ + snippet, Path.of("warden.yaml"));

        Identity identity = config.identities().get("null");
        assertThat(identity.groups()).isEqualTo(List.of("a:b", "c#d"));
        assertThat(identity.access()).isEqualTo(UpstreamAccess.READ_ONLY);
        assertThat(identity.verifier().orElseThrow().matches(find(TOKEN, result.out()))).isTrue();
    }

    @Test
    void rejectsBadNames() {
        assertThat(CommandResult.run("token", "create", "agent 1").err()).contains("NAME must not contain whitespace");
        assertThat(CommandResult.run("token", "create", "").exitCode()).isEqualTo(2);
        CommandResult tooLong = CommandResult.run("token", "create", "a".repeat(64));
        assertThat(tooLong.exitCode()).isEqualTo(2);
        assertThat(tooLong.err()).contains("NAME must be at most 63 bytes");
        assertThat(tooLong.out()).isEmpty();
        assertThat(CommandResult.run("token", "create", "agent-1", "--groups", "a, b").exitCode()).isEqualTo(2);
    }

    @Test
    void rejectsUnknownAccess() {
        CommandResult result = CommandResult.run("token", "create", "agent-1", "--access", "admin");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--access must be read_only or read_write");
        assertThat(result.out()).isEmpty();
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("%s in output:%n%s", pattern, text).isTrue();
        return matcher.group(1);
    }

    /** RFC 5802 computed from scratch, independently of ScramVerifier. */
    private static byte[] storedKey(String password, byte[] salt, int iterations) throws Exception {
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
                .getEncoded();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salted, "HmacSHA256"));
        byte[] clientKey = mac.doFinal("Client Key".getBytes(StandardCharsets.US_ASCII));
        return MessageDigest.getInstance("SHA-256").digest(clientKey);
    }
}
