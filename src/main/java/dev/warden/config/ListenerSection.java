package dev.warden.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads {@code listeners:}. */
final class ListenerSection {

    private static final List<String> KEYS = List.of("host", "port", "tls", "cert", "key");
    private static final Map<String, ClientTlsMode> TLS_MODES = new LinkedHashMap<>();

    static {
        for (ClientTlsMode mode : ClientTlsMode.values()) {
            TLS_MODES.put(mode.configName(), mode);
        }
    }

    private ListenerSection() {}

    static List<ListenerConfig> read(YamlNode node, Path baseDirectory) {
        List<ListenerConfig> listeners = new ArrayList<>();
        Optional<List<YamlNode>> sequence = node.asSequence();
        List<YamlNode> items = sequence.orElse(List.of());
        if (sequence.isPresent() && items.isEmpty()) {
            node.problem("at least one listener is required");
        }
        Map<String, Integer> addresses = new HashMap<>();
        for (YamlNode item : items) {
            item.asMapping(KEYS).flatMap(mapping -> readListener(mapping, baseDirectory)).ifPresent(listener -> {
                String address = listener.host().toLowerCase(Locale.ROOT) + ":" + listener.port();
                Integer firstLine = addresses.putIfAbsent(address, item.line());
                if (firstLine != null) {
                    item.problem("listens on " + address + " like the listener at line " + firstLine);
                } else {
                    listeners.add(listener);
                }
            });
        }
        return listeners;
    }

    private static Optional<ListenerConfig> readListener(YamlMapping mapping, Path baseDirectory) {
        ConfigProblems problems = mapping.self().problems();
        int before = problems.size();
        String host = mapping.value("host", YamlNode::asHost, ConfigDefaults.LISTENER_HOST);
        Integer port = mapping.value("port", node -> node.asInteger(1, 65535), ConfigDefaults.LISTENER_PORT);
        ClientTlsMode tls = mapping.value("tls", node -> node.asChoice(TLS_MODES), ClientTlsMode.OFF);
        Path cert = mapping.optional("cert", node -> node.asReadableFile(baseDirectory));
        Path key = mapping.optional("key", node -> node.asReadableFile(baseDirectory));
        if (tls != null && tls != ClientTlsMode.OFF) {
            // Reported at the tls line: that is the setting that created the need.
            YamlNode at = mapping.get("tls").orElse(mapping.self());
            for (String required : List.of("cert", "key")) {
                if (mapping.get(required).isEmpty()) {
                    at.problem(mapping.field(required), "is required when tls is " + tls.configName());
                }
            }
        }
        if (problems.size() != before) {
            return Optional.empty();
        }
        return Optional.of(new ListenerConfig(host, port, tls, cert, key));
    }
}
