package dev.warden.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.config.SecretReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCheckpointSigner {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsSessionSeqAndHashWithHmacSha256() throws Exception {
        CheckpointSigner signer = new CheckpointSigner("k1", KEY);
        String hash = "ab".repeat(32);

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(("sess-1\n7\n" + hash).getBytes(StandardCharsets.UTF_8)));

        assertThat(signer.sign("sess-1", 7, hash)).isEqualTo(expected);
        assertThat(signer.verify("sess-1", 7, hash, expected)).isTrue();
        assertThat(signer.verify("sess-1", 8, hash, expected)).isFalse();
        assertThat(signer.verify("sess-2", 7, hash, expected)).isFalse();
        assertThat(signer.verify("sess-1", 7, "cd".repeat(32), expected)).isFalse();
        assertThat(signer.verify("sess-1", 7, hash, expected.toUpperCase())).isFalse();
    }

    @Test
    void checkpointBodyNamesTheHeadAndTheKey() throws Exception {
        CheckpointSigner signer = new CheckpointSigner("k1", KEY);
        String hash = "ab".repeat(32);

        JsonNode body = new ObjectMapper().readTree(signer.checkpointBody("sess-1", 7, hash));

        assertThat(body.get("upto_seq").asLong()).isEqualTo(7);
        assertThat(body.get("upto_hash").asText()).isEqualTo(hash);
        assertThat(body.get("key_id").asText()).isEqualTo("k1");
        assertThat(body.get("signature").asText()).isEqualTo(signer.sign("sess-1", 7, hash));
    }

    @Test
    void refusesShortKeysAndOddIds() {
        assertThatThrownBy(() -> new CheckpointSigner("k1", new byte[31])).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> new CheckpointSigner("k 1", KEY)).hasMessageContaining("key id");
    }

    @Test
    void readsTheKeyByReference(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("checkpoint.key");
        Files.writeString(file, "0123456789abcdef0123456789abcdef\n");

        CheckpointSigner signer = CheckpointSigner.fromReference("k1", SecretReference.parse("file:" + file));

        assertThat(signer.sign("s", 1, "h")).isEqualTo(new CheckpointSigner("k1", KEY).sign("s", 1, "h"));
        assertThat(signer.toString()).isEqualTo("CheckpointSigner[k1]");
    }
}
