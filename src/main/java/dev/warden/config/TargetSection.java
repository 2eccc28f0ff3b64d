package dev.warden.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code targets:}. */
final class TargetSection {

    private static final List<String> KEYS = List.of("name", "host", "port", "database", "tls", "ca", "credentials");
    private static final List<String> CREDENTIALS_KEYS = List.of("read_only", "read_write");
    private static final List<String> CREDENTIAL_KEYS = List.of("user", "password");
    private static final Map<String, UpstreamTlsMode> TLS_MODES = new LinkedHashMap<>();

    static {
        for (UpstreamTlsMode mode : UpstreamTlsMode.values()) {
            TLS_MODES.put(mode.configName(), mode);
        }
    }

    private TargetSection() {}

    static Map<String, TargetConfig> read(YamlNode node, Path baseDirectory) {
        Map<String, TargetConfig> targets = new LinkedHashMap<>();
        Optional<List<YamlNode>> sequence = node.asSequence();
        List<YamlNode> items = sequence.orElse(List.of());
        if (sequence.isPresent() && items.isEmpty()) {
            node.problem("at least one target is required");
        }
        Map<String, Integer> names = new LinkedHashMap<>();
        for (YamlNode item : items) {
            item.asMapping(KEYS).ifPresent(mapping -> {
                Optional<TargetConfig> target = readTarget(mapping, baseDirectory);
                String name = target.map(TargetConfig::name).orElse(null);
                if (name != null) {
                    Integer firstLine = names.putIfAbsent(name, item.line());
                    if (firstLine != null) {
                        mapping.get("name").orElseThrow().problem("duplicate target name (first defined at line " + firstLine + ")");
                    } else {
                        targets.put(name, target.get());
                    }
                }
            });
        }
        return targets;
    }

    private static Optional<TargetConfig> readTarget(YamlMapping mapping, Path baseDirectory) {
        ConfigProblems problems = mapping.self().problems();
        int before = problems.size();
        String name = mapping.required("name", YamlNode::asName);
        String host = mapping.required("host", YamlNode::asHost);
        Integer port = mapping.value("port", node -> node.asInteger(1, 65535), ConfigDefaults.TARGET_PORT);
        String database = mapping.value("database", YamlNode::asName, name);
        UpstreamTlsMode tls = mapping.value("tls", node -> node.asChoice(TLS_MODES), UpstreamTlsMode.DISABLE);
        Path ca = mapping.optional("ca", node -> node.asReadableFile(baseDirectory));
        if (tls == UpstreamTlsMode.VERIFY_FULL && mapping.get("ca").isEmpty()) {
            mapping.get("tls").orElseThrow().problem(mapping.field("ca"), "is required when tls is verify-full");
        }
        YamlMapping credentials = mapping.required("credentials", node -> node.asMapping(CREDENTIALS_KEYS));
        UpstreamCredential readOnly = null;
        Optional<UpstreamCredential> readWrite = Optional.empty();
        if (credentials != null) {
            readOnly = credentials.required("read_only", TargetSection::readCredential);
            readWrite = Optional.ofNullable(credentials.optional("read_write", TargetSection::readCredential));
        }
        if (problems.size() != before) {
            return Optional.empty();
        }
        return Optional.of(new TargetConfig(name, host, port, database, tls, ca, readOnly, readWrite));
    }

    private static Optional<UpstreamCredential> readCredential(YamlNode node) {
        return node.asMapping(CREDENTIAL_KEYS).flatMap(mapping -> {
            String user = mapping.required("user", YamlNode::asName);
            SecretReference password = mapping.required("password", TargetSection::readSecretReference);
            return user == null || password == null
                    ? Optional.empty()
                    : Optional.of(new UpstreamCredential(user, password));
        });
    }

    static Optional<SecretReference> readSecretReference(YamlNode node) {
        return node.asSecretReference();
    }
}
