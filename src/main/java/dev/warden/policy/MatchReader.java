package dev.warden.policy;

import dev.warden.config.YamlMapping;
import dev.warden.config.YamlNode;
import dev.warden.sql.CopySpec;
import dev.warden.sql.StatementKind;
import dev.warden.sql.WhereShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code match:} of a rule. */
final class MatchReader {

    private static final List<String> KEYS = List.of("statements", "objects", "tables", "written_tables", "functions",
            "copy", "where", "settings", "startup", "estimated_rows", "unknown");
    private static final List<String> COPY_KEYS = List.of("direction", "endpoint");
    private static final List<String> ROWS_KEYS = List.of("over", "exact");
    private static final Map<String, StatementKind> KINDS = RuleReader.choices(StatementKind.values());
    private static final Map<String, CopySpec.Direction> DIRECTIONS = RuleReader.choices(CopySpec.Direction.values());
    private static final Map<String, CopySpec.Endpoint> ENDPOINTS = RuleReader.choices(CopySpec.Endpoint.values());
    private static final Map<String, WhereShape> WHERE = RuleReader.choices(WhereShape.values());
    /** Ordered, so that messages listing the choices read the same on every run. */
    private static final Map<String, Boolean> BOOLEANS = new java.util.LinkedHashMap<>(Map.of("true", true));

    static {
        BOOLEANS.put("false", false);
    }
    private static final Pattern OBJECT_TYPE = Pattern.compile("[a-z]+( [a-z]+)*");
    private static final Pattern SETTING = Pattern.compile("[a-z0-9_.*?]+");
    private static final String NAME_EXAMPLE = "a name or glob such as public.customers, public.pay* or dblink*";

    private MatchReader() {}

    static Optional<StatementMatch> read(YamlNode node, Outcome outcome) {
        int before = node.problems().size();
        Optional<YamlMapping> found = node.asMapping(KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMapping match = found.get();
        Set<StatementKind> statements = match.value("statements", n -> Optional.of(RuleReader.readChoices(n, KINDS)), Set.of());
        Set<String> objects = match.value("objects", MatchReader::readObjects, Set.of());
        List<NamePattern> tables = match.value("tables", MatchReader::readPatterns, List.of());
        List<NamePattern> writtenTables = match.value("written_tables", MatchReader::readPatterns, List.of());
        List<NamePattern> functions = match.value("functions", MatchReader::readPatterns, List.of());
        Set<CopySpec.Direction> directions = Set.of();
        Set<CopySpec.Endpoint> endpoints = Set.of();
        Optional<YamlMapping> copy = match.get("copy").flatMap(n -> n.asMapping(COPY_KEYS));
        if (copy.isPresent()) {
            directions = copy.get().value("direction", n -> Optional.of(RuleReader.readChoices(n, DIRECTIONS)), Set.of());
            endpoints = copy.get().value("endpoint", n -> Optional.of(RuleReader.readChoices(n, ENDPOINTS)), Set.of());
        }
        Set<WhereShape> where = match.value("where", n -> Optional.of(RuleReader.readChoices(n, WHERE)), Set.of());
        List<Glob> settings = match.value("settings", MatchReader::readSettings, List.of());
        Map<String, Glob> startup = match.value("startup", MatchReader::readStartup, Map.of());
        Optional<YamlMapping> rows = match.get("estimated_rows").flatMap(n -> n.asMapping(ROWS_KEYS));
        Long rowsOver = rows.map(r -> r.required("over", v -> v.asInteger(0, Integer.MAX_VALUE)))
                .map(Integer::longValue).orElse(null);
        boolean rowsExact = rows.map(r -> r.value("exact", v -> v.asChoice(BOOLEANS), false)).orElse(false);
        Boolean unknown = match.optional("unknown", n -> n.asChoice(BOOLEANS));
        if (node.problems().size() != before) {
            return Optional.empty();
        }
        StatementMatch result = new StatementMatch(statements, objects, tables, writtenTables, functions, directions,
                endpoints, copy.isPresent(), where, settings, startup, rowsOver, rowsExact, unknown);
        if (result.equals(StatementMatch.EVERYTHING)) {
            node.problem("must give at least one condition (leave match out to mean every statement)");
            return Optional.empty();
        }
        return Optional.of(result);
    }

    private static Optional<Set<String>> readObjects(YamlNode node) {
        Set<String> objects = new LinkedHashSet<>();
        for (YamlNode item : node.asSequence().orElse(List.of())) {
            item.asString().ifPresent(text -> {
                if (OBJECT_TYPE.matcher(text).matches()) {
                    objects.add(text);
                } else {
                    item.problem("must be an object type in lower case as in SQL, such as table, view, function"
                            + " or event trigger (got '" + text + "')");
                }
            });
        }
        return Optional.of(objects);
    }

    private static Optional<List<NamePattern>> readPatterns(YamlNode node) {
        List<NamePattern> patterns = new ArrayList<>();
        for (YamlNode item : node.asSequence().orElse(List.of())) {
            item.asString().ifPresent(text -> NamePattern.parse(text).ifPresentOrElse(patterns::add,
                    () -> item.problem("must be " + NAME_EXAMPLE + " (got '" + text + "')")));
        }
        return Optional.of(patterns);
    }

    private static Optional<List<Glob>> readSettings(YamlNode node) {
        List<Glob> settings = new ArrayList<>();
        for (YamlNode item : node.asSequence().orElse(List.of())) {
            item.asString().ifPresent(text -> {
                if (SETTING.matcher(text).matches()) {
                    settings.add(new Glob(text));
                } else {
                    item.problem("must be a setting name in lower case, globs allowed, such as search_path or"
                            + " transaction_* (got '" + text + "')");
                }
            });
        }
        return Optional.of(settings);
    }

    private static Optional<Map<String, Glob>> readStartup(YamlNode node) {
        Map<String, Glob> startup = new LinkedHashMap<>();
        for (Map.Entry<YamlNode, YamlNode> entry : node.asNamedMapping("startup parameter names to value globs").orElse(List.of())) {
            Optional<String> value = entry.getValue().asString();
            entry.getKey().asName().ifPresent(name -> value.ifPresent(glob -> startup.put(name, new Glob(glob))));
        }
        return Optional.of(startup);
    }
}
