package dev.warden.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads {@code data_dir:}, {@code store:} and {@code recording:}; all optional. */
final class AuditSection {
    private static final List<String> STORE_KEYS = List.of("url", "user", "password");
    private static final List<String> RECORDING_KEYS = List.of(
            "result_rows", "result_bytes", "checkpoint_every", "checkpoint_key", "retention");

    private AuditSection() {}

    static AuditConfig read(YamlMapping top, Path baseDirectory) {
        Path dataDirectory = top.optional("data_dir", node -> node.asString().map(text -> baseDirectory.resolve(text).normalize()));
        AuditConfig defaults = AuditConfig.defaults(dataDirectory == null ? baseDirectory.resolve("data") : dataDirectory);
        String url = defaults.storeUrl();
        String user = null;
        SecretReference password = null;
        Optional<YamlMapping> store = top.get("store").flatMap(node -> node.asMapping(STORE_KEYS));
        if (store.isPresent()) {
            url = store.get().value("url", AuditSection::storeUrl, url);
            user = store.get().optional("user", YamlNode::asString);
            password = store.get().optional("password", TargetSection::readSecretReference);
        }
        int rows = defaults.resultRows();
        int bytes = defaults.resultBytes();
        int every = defaults.checkpointEvery();
        SecretReference key = null;
        Duration retention = null;
        Optional<YamlMapping> recording = top.get("recording").flatMap(node -> node.asMapping(RECORDING_KEYS));
        if (recording.isPresent()) {
            YamlMapping mapping = recording.get();
            rows = mapping.value("result_rows", n -> n.asInteger(0, 1_000_000), rows);
            bytes = mapping.value("result_bytes", n -> n.asInteger(0, 64 * 1024 * 1024), bytes);
            every = mapping.value("checkpoint_every", n -> n.asInteger(1, 1_000_000), every);
            key = mapping.optional("checkpoint_key", TargetSection::readSecretReference);
            retention = mapping.optional("retention", n -> n.asDuration(false));
        }
        return new AuditConfig(defaults.dataDirectory(), url, Optional.ofNullable(user), Optional.ofNullable(password),
                rows, bytes, every, Optional.ofNullable(key), Optional.ofNullable(retention));
    }

    private static Optional<String> storeUrl(YamlNode node) {
        return node.asString().filter(text -> {
            if (text.startsWith("sqlite:") || text.startsWith("postgresql://")) {
                return true;
            }
            node.problem("must be sqlite:<file> or postgresql://host[:port]/database");
            return false;
        });
    }
}
