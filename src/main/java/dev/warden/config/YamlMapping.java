package dev.warden.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A YAML mapping whose keys have been checked against the keys its section knows. Unknown keys are
 * errors, not warnings: a misspelt {@code tls: verify-full} that is silently ignored would leave a
 * connection unverified.
 */
public final class YamlMapping {

    private final YamlNode self;
    private final Map<String, YamlNode> values;

    private YamlMapping(YamlNode self, Map<String, YamlNode> values) {
        this.self = self;
        this.values = values;
    }

    public static YamlMapping of(MappingNode mapping, YamlNode self, List<String> allowedKeys) {
        Map<String, YamlNode> values = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                self.problems().add(tuple.getKeyNode().getStartMark(), self.path(), "keys must be plain names");
                continue;
            }
            String key = keyNode.getValue();
            String field = child(self.path(), key);
            if (!allowedKeys.contains(key)) {
                self.problems().add(keyNode.getStartMark(), field,
                        "unknown key (expected one of " + String.join(", ", allowedKeys) + ")");
            } else if (values.containsKey(key)) {
                self.problems().add(keyNode.getStartMark(), field,
                        "duplicate key (first set at line " + values.get(key).line() + ")");
            } else {
                values.put(key, new YamlNode(tuple.getValueNode(), field, self.problems()));
            }
        }
        return new YamlMapping(self, values);
    }

    public YamlNode self() {
        return self;
    }

    /** The value of {@code key}, or empty if the key is absent or its value is null. */
    public Optional<YamlNode> get(String key) {
        YamlNode value = values.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    /** Like {@link #get}, but an absent key is a problem, reported where the mapping starts. */
    public Optional<YamlNode> require(String key) {
        Optional<YamlNode> value = get(key);
        if (value.isEmpty()) {
            YamlNode present = values.get(key);
            if (present != null) {
                present.problem("must not be empty");
            } else {
                self.problem(child(self.path(), key), "is required");
            }
        }
        return value;
    }

    /** The value of {@code key} read by {@code reader}; {@code defaultValue} if absent; null if invalid (a problem is recorded). */
    public <T> T value(String key, Function<YamlNode, Optional<T>> reader, T defaultValue) {
        return get(key).map(node -> reader.apply(node).orElse(null)).orElse(defaultValue);
    }

    /** The value of {@code key} read by {@code reader}; null if absent or invalid, recording a problem either way. */
    public <T> T required(String key, Function<YamlNode, Optional<T>> reader) {
        return require(key).flatMap(reader).orElse(null);
    }

    /** The value of {@code key} read by {@code reader}; null if absent or invalid. */
    public <T> T optional(String key, Function<YamlNode, Optional<T>> reader) {
        return get(key).flatMap(reader).orElse(null);
    }

    public String field(String key) {
        return child(self.path(), key);
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
