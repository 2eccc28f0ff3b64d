package dev.warden.masking;

import dev.warden.config.SecretReference;
import dev.warden.config.YamlMapping;
import dev.warden.config.YamlNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the {@code masking:} section of a policy file. Problems are added to the file's problem list
 * (file:line:column: field: message) like every other section's; nothing here throws on bad input.
 */
public final class MaskingReader {
    private static final List<String> KEYS = List.of("key", "exempt_groups", "deny_predicates_on_masked",
            "trusted_functions", "detectors", "custom_detectors", "columns", "json_paths");
    private static final List<String> COLUMN_KEYS = List.of("column", "strategy", "keep_last");
    private static final List<String> JSON_PATH_KEYS = List.of("column", "path", "strategy", "keep_last");
    private static final List<String> CUSTOM_KEYS = List.of("name", "pattern");
    private static final Map<String, MaskStrategy> STRATEGIES = new LinkedHashMap<>();
    private static final Map<String, DetectorKind> DETECTORS = new LinkedHashMap<>();
    /** Custom patterns are compiled from the policy; a pattern longer than this is more likely a mistake. */
    private static final int MAX_PATTERN_LENGTH = 500;

    static {
        for (MaskStrategy strategy : MaskStrategy.values()) {
            STRATEGIES.put(strategy.configName(), strategy);
        }
        for (DetectorKind kind : DetectorKind.values()) {
            DETECTORS.put(kind.configName(), kind);
        }
    }

    private MaskingReader() {}

    public static MaskingPolicy read(YamlNode node) {
        Optional<YamlMapping> section = node.asMapping(KEYS);
        if (section.isEmpty()) {
            return MaskingPolicy.NONE;
        }
        YamlMapping masking = section.get();
        Optional<SecretReference> key = masking.get("key").flatMap(YamlNode::asSecretReference);
        List<ColumnRule> columns = new ArrayList<>();
        masking.get("columns").ifPresent(list -> readColumns(list, false, columns));
        masking.get("json_paths").ifPresent(list -> readColumns(list, true, columns));
        if (key.isEmpty() && columns.stream().anyMatch(rule -> rule.strategy() == MaskStrategy.HASH)) {
            masking.self().problem(masking.field("key"),
                    "is required when a rule uses strategy hash (a reference such as env:WARDEN_MASKING_KEY)");
        }
        return new MaskingPolicy(columns,
                masking.get("detectors").map(MaskingReader::readDetectors).orElse(EnumSet.noneOf(DetectorKind.class)),
                masking.get("custom_detectors").map(MaskingReader::readCustom).orElse(List.of()),
                masking.get("exempt_groups").map(MaskingReader::readNames).orElse(Set.of()),
                key,
                masking.get("deny_predicates_on_masked").map(MaskingReader::readNames).orElse(Set.of()),
                masking.get("trusted_functions").map(MaskingReader::readFunctionNames).orElse(Set.of()));
    }

    private static void readColumns(YamlNode list, boolean jsonPaths, List<ColumnRule> out) {
        for (YamlNode item : list.asSequence().orElse(List.of())) {
            item.asMapping(jsonPaths ? JSON_PATH_KEYS : COLUMN_KEYS).ifPresent(rule -> {
                String[] column = rule.required("column", MaskingReader::readColumnName);
                List<String> path = jsonPaths ? rule.required("path", MaskingReader::readJsonPath) : List.of();
                MaskStrategy strategy = rule.required("strategy", node -> node.asChoice(STRATEGIES));
                Integer keepLast = rule.optional("keep_last", node -> node.asInteger(1, 64));
                if (strategy == MaskStrategy.PARTIAL && keepLast == null) {
                    rule.self().problem(rule.field("keep_last"), "is required with strategy partial");
                } else if (strategy != null && strategy != MaskStrategy.PARTIAL && keepLast != null) {
                    rule.self().problem(rule.field("keep_last"), "applies only to strategy partial");
                }
                if (column != null && strategy != null && path != null) {
                    out.add(new ColumnRule(column[0], column[1], column[2], path, strategy,
                            keepLast == null ? 0 : keepLast, item.line()));
                }
            });
        }
    }

    /** {@code schema.table.column}: all three, so a rule never depends on a session's search_path. */
    private static Optional<String[]> readColumnName(YamlNode node) {
        return node.asString().flatMap(text -> {
            String[] parts = text.split("\\.", -1);
            if (parts.length != 3 || java.util.Arrays.stream(parts).anyMatch(String::isBlank)) {
                node.problem("must be schema.table.column, such as public.customers.email (got '" + text + "')");
                return Optional.empty();
            }
            return Optional.of(parts);
        });
    }

    /** {@code $.a.b} or {@code $.items[*].email}: keys, with {@code [*]} for every element of an array. */
    private static Optional<List<String>> readJsonPath(YamlNode node) {
        return node.asString().flatMap(text -> {
            List<String> steps = JsonPathSteps.parse(text);
            if (steps.isEmpty()) {
                node.problem("must be a JSON path of keys such as $.customer.email or $.items[*].email (got '" + text + "')");
                return Optional.empty();
            }
            return Optional.of(steps);
        });
    }

    private static Set<DetectorKind> readDetectors(YamlNode node) {
        if (node.isScalar() && node.asString().filter("all"::equals).isPresent()) {
            return EnumSet.allOf(DetectorKind.class);
        }
        Set<DetectorKind> kinds = EnumSet.noneOf(DetectorKind.class);
        for (YamlNode item : node.asSequence().orElse(List.of())) {
            item.asChoice(DETECTORS).ifPresent(kinds::add);
        }
        return kinds;
    }

    private static List<CustomPattern> readCustom(YamlNode node) {
        List<CustomPattern> patterns = new ArrayList<>();
        for (YamlNode item : node.asSequence().orElse(List.of())) {
            item.asMapping(CUSTOM_KEYS).ifPresent(custom -> {
                String name = custom.required("name", YamlNode::asName);
                Pattern pattern = custom.required("pattern", MaskingReader::readPattern);
                if (name != null && pattern != null) {
                    patterns.add(new CustomPattern(name, pattern));
                }
            });
        }
        return patterns;
    }

    private static Optional<Pattern> readPattern(YamlNode node) {
        return node.asString().flatMap(text -> {
            if (text.length() > MAX_PATTERN_LENGTH) {
                node.problem("is longer than " + MAX_PATTERN_LENGTH + " characters");
                return Optional.empty();
            }
            try {
                Pattern pattern = Pattern.compile(text);
                if (pattern.matcher("").matches()) {
                    node.problem("matches the empty string, so it would match everywhere");
                    return Optional.empty();
                }
                return Optional.of(pattern);
            } catch (PatternSyntaxException e) {
                node.problem("is not a valid regular expression: " + e.getDescription());
                return Optional.empty();
            }
        });
    }

    private static Set<String> readNames(YamlNode node) {
        Set<String> names = new LinkedHashSet<>();
        for (YamlNode item : node.asSequence().orElse(List.of())) {
            item.asName().ifPresent(names::add);
        }
        return names;
    }

    private static Set<String> readFunctionNames(YamlNode node) {
        Set<String> names = new LinkedHashSet<>();
        for (YamlNode item : node.asSequence().orElse(List.of())) {
            item.asString().ifPresent(text -> {
                if (text.split("\\.", -1).length != 2) {
                    item.problem("must be schema.function, such as public.order_total (got '" + text + "')");
                } else {
                    names.add(text);
                }
            });
        }
        return names;
    }
}
