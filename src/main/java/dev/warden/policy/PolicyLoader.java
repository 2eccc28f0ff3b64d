package dev.warden.policy;

import static java.util.Objects.requireNonNull;

import dev.warden.config.ConfigException;
import dev.warden.config.ConfigLoader;
import dev.warden.config.ConfigProblem;
import dev.warden.config.ConfigProblems;
import dev.warden.config.YamlMapping;
import dev.warden.config.YamlNode;
import dev.warden.masking.MaskingPolicy;
import dev.warden.masking.MaskingReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads and validates a policy file with the same YAML machinery as the gateway configuration: every
 * problem in the file is reported at once, each as {@code file:line:column: field path: message},
 * and unknown keys are errors (a misspelt {@code outcom: deny} must not silently drop a rule).
 */
public final class PolicyLoader {

    private static final List<String> KEYS = List.of("groups", "targets", "rules", "masking");
    private static final List<String> TARGET_KEYS = List.of("default");

    private PolicyLoader() {}

    public static Policy load(Path file) throws ConfigException {
        requireNonNull(file, "file is null");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw wholeFile(file, "cannot read: No such file");
        } catch (AccessDeniedException e) {
            throw wholeFile(file, "cannot read: Permission denied");
        } catch (IOException e) {
            throw wholeFile(file, "cannot read: " + e.getMessage());
        }
        String yaml;
        try {
            yaml = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw wholeFile(file, "cannot read: not valid UTF-8");
        }
        return parse(yaml, sha256(bytes), file);
    }

    /** Parses policy text; {@code source} names the file in messages. The version is the hash of the UTF-8 text. */
    public static Policy parse(String yaml, Path source) throws ConfigException {
        requireNonNull(yaml, "yaml is null");
        return parse(yaml, sha256(yaml.getBytes(StandardCharsets.UTF_8)), source);
    }

    private static Policy parse(String yaml, String version, Path source) throws ConfigException {
        requireNonNull(source, "source is null");
        ConfigProblems problems = new ConfigProblems(source.toString());
        Node root = ConfigLoader.compose(yaml, problems);
        if (root == null) {
            throw wholeFile(source, "is empty; a policy needs at least rules: (and usually targets:)");
        }
        YamlMapping top = new YamlNode(root, "", problems).asMapping(KEYS).orElseThrow(problems::toException);
        Map<String, Set<String>> groups = top.get("groups").map(PolicyLoader::readGroups).orElse(Map.of());
        Map<String, Outcome> defaults = top.get("targets").map(PolicyLoader::readTargets).orElse(Map.of());
        List<PolicyRule> rules = top.require("rules").map(RuleReader::readRules).orElse(List.of());
        MaskingPolicy masking = top.get("masking").map(MaskingReader::read).orElse(MaskingPolicy.NONE);
        problems.throwIfAny();
        return new Policy(source, version, groups, defaults, rules, masking);
    }

    private static Map<String, Set<String>> readGroups(YamlNode node) {
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        for (Map.Entry<YamlNode, YamlNode> entry : node.asNamedMapping("group names to lists of identities").orElse(List.of())) {
            Set<String> members = entry.getValue().isNull() ? Set.of() : readNameSet(entry.getValue());
            entry.getKey().asName().ifPresent(name -> groups.put(name, members));
        }
        return groups;
    }

    private static Map<String, Outcome> readTargets(YamlNode node) {
        Map<String, Outcome> defaults = new LinkedHashMap<>();
        for (Map.Entry<YamlNode, YamlNode> entry : node.asNamedMapping("target names (or \"*\") to { default: ... }").orElse(List.of())) {
            Outcome outcome = entry.getValue().asMapping(TARGET_KEYS)
                    .map(target -> target.required("default", value -> value.asChoice(RuleReader.OUTCOMES)))
                    .orElse(null);
            entry.getKey().asString()
                    .filter(name -> name.equals(Policy.ALL_TARGETS) || entry.getKey().asName().isPresent())
                    .ifPresent(name -> {
                        if (outcome != null) {
                            defaults.put(name, outcome);
                        }
                    });
        }
        return defaults;
    }

    static Set<String> readNameSet(YamlNode node) {
        Set<String> names = new LinkedHashSet<>();
        for (YamlNode item : node.asSequence().orElse(List.of())) {
            item.asName().ifPresent(names::add);
        }
        return names;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static ConfigException wholeFile(Path file, String message) {
        return new ConfigException(new ConfigProblem(file.toString(), 0, 0, "", message));
    }
}
