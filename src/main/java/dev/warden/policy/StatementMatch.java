package dev.warden.policy;

import static java.util.Objects.requireNonNull;

import dev.warden.sql.CopySpec;
import dev.warden.sql.QualifiedName;
import dev.warden.sql.StatementAnalysis;
import dev.warden.sql.StatementKind;
import dev.warden.sql.WhereShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code match:} of a rule. Every condition given must hold (AND); the values listed for one
 * condition are alternatives (OR). An absent condition (empty set or list, null) does not restrict.
 *
 * @param estimatedRowsOver holds when the planner estimates more rows than this for an UPDATE,
 *     DELETE or MERGE; without an estimate it is read restrictively: it holds for deny and
 *     require_approval rules and not for allow rules
 * @param estimatedRowsExact the count comes from a dry run of the statement, rolled back, rather
 *     than from the planner (off unless a rule asks)
 * @param unknown null when not given; else whether the statement must be one the analyser did not
 *     understand (such statements are denied by a built-in rule before any rule is read)
 */
public record StatementMatch(
        Set<StatementKind> statements,
        Set<String> objects,
        List<NamePattern> tables,
        List<NamePattern> writtenTables,
        List<NamePattern> functions,
        Set<CopySpec.Direction> copyDirections,
        Set<CopySpec.Endpoint> copyEndpoints,
        boolean copyGiven,
        Set<WhereShape> where,
        List<Glob> settings,
        Map<String, Glob> startup,
        Long estimatedRowsOver,
        boolean estimatedRowsExact,
        Boolean unknown) {

    public static final StatementMatch EVERYTHING = new StatementMatch(Set.of(), Set.of(), List.of(), List.of(), List.of(),
            Set.of(), Set.of(), false, Set.of(), List.of(), Map.of(), null, false, null);

    public StatementMatch {
        statements = Set.copyOf(statements);
        objects = Set.copyOf(objects);
        tables = List.copyOf(tables);
        writtenTables = List.copyOf(writtenTables);
        functions = List.copyOf(functions);
        copyDirections = Set.copyOf(copyDirections);
        copyEndpoints = Set.copyOf(copyEndpoints);
        where = Set.copyOf(where);
        settings = List.copyOf(settings);
        startup = Map.copyOf(startup);
    }

    /**
     * Whether every condition holds for {@code statement}; when it does, a line per condition saying
     * why is appended to {@code because} (callers drop what was appended when it returns false).
     *
     * <p>List conditions are read restrictively, by outcome. For deny and require_approval rules one
     * listed value is enough: any effect, any table, any function. For allow rules everything must
     * be covered: every effect of the statement among {@code statements}, every table it touches
     * among {@code tables} (and at least one table), and so on; otherwise an allow rule for reads
     * would also allow {@code CREATE TABLE t AS SELECT ...} or a SELECT that calls a dangerous function.
     */
    boolean matches(StatementAnalysis statement, Map<String, String> startupParameters, Outcome outcome,
            List<String> because) {
        return matches(statement, startupParameters, outcome, because, RowEstimate.UNAVAILABLE);
    }

    boolean matches(StatementAnalysis statement, Map<String, String> startupParameters, Outcome outcome,
            List<String> because, RowEstimate estimate) {
        requireNonNull(statement, "statement is null");
        boolean everything = outcome == Outcome.ALLOW;
        if (unknown != null) {
            if (unknown == statement.understood()) {
                return false;
            }
            because.add(unknown ? "the analyser did not understand it" : "the analyser understood it");
        }
        if (!statements.isEmpty() && !matchesKind(statement, everything, because)) {
            return false;
        }
        if (!objects.isEmpty()) {
            if (statement.objectType() == null || !objects.contains(statement.objectType())) {
                return false;
            }
            because.add("object type " + statement.objectType() + " is one of " + sorted(objects));
        }
        if (!tables.isEmpty()) {
            boolean held = everything
                    ? allMatch(touchedTables(statement), tables, "tables", because)
                    : anyMatch(statement.writtenTables(), tables, "written table", because)
                            || anyMatch(statement.readTables(), tables, "table", because);
            if (!held) {
                return false;
            }
        }
        if (!writtenTables.isEmpty() && !(everything
                ? allMatch(statement.writtenTables(), writtenTables, "written tables", because)
                : anyMatch(statement.writtenTables(), writtenTables, "written table", because))) {
            return false;
        }
        if (!functions.isEmpty() && !(everything
                ? allMatch(statement.functions(), functions, "functions", because)
                : anyMatch(statement.functions(), functions, "function", because))) {
            return false;
        }
        if (copyGiven && !matchesCopy(statement, because)) {
            return false;
        }
        if (!where.isEmpty()) {
            if (!where.contains(statement.where())) {
                return false;
            }
            because.add("WHERE is " + lower(statement.where()));
        }
        if (!settings.isEmpty() && !matchesSettings(statement, everything, because)) {
            return false;
        }
        if (!startup.isEmpty() && !matchesStartup(startupParameters, because)) {
            return false;
        }
        if (estimatedRowsOver != null) {
            switch (estimate.kind()) {
                case KNOWN -> {
                    if (estimate.rows() <= estimatedRowsOver) {
                        return false;
                    }
                    because.add("the planner estimates " + estimate.rows() + " rows, over " + estimatedRowsOver);
                }
                case PENDING -> {
                    return false;
                }
                case UNAVAILABLE -> {
                    if (everything) {
                        return false;
                    }
                    because.add("no row estimate: assumed over " + estimatedRowsOver + " rows");
                }
            }
        }
        return true;
    }

    private boolean matchesKind(StatementAnalysis statement, boolean everything, List<String> because) {
        if (everything) {
            if (!statements.contains(statement.kind())) {
                return false;
            }
            for (StatementKind effect : statement.effects()) {
                if (!statements.contains(effect)) {
                    return false;
                }
            }
            because.add("every effect (" + statement.effects().stream().map(StatementMatch::lower).sorted().toList()
                    + ") is one of " + sortedKinds());
            return true;
        }
        if (statements.contains(statement.kind())) {
            because.add("statement kind " + lower(statement.kind()) + " is one of " + sortedKinds());
            return true;
        }
        for (StatementKind effect : statement.effects()) {
            if (statements.contains(effect)) {
                because.add("it has the effect " + lower(effect) + ", one of " + sortedKinds());
                return true;
            }
        }
        return false;
    }

    private static List<QualifiedName> touchedTables(StatementAnalysis statement) {
        if (statement.writtenTables().isEmpty()) {
            return statement.readTables();
        }
        List<QualifiedName> touched = new ArrayList<>(statement.readTables());
        touched.addAll(statement.writtenTables());
        return touched;
    }

    private static boolean anyMatch(List<QualifiedName> names, List<NamePattern> patterns, String what,
            List<String> because) {
        for (QualifiedName name : names) {
            for (NamePattern pattern : patterns) {
                if (pattern.matches(name)) {
                    because.add(what + " " + name + " matches " + pattern
                            + (name.schema() == null ? " (schema unresolved: matched on the name alone)" : ""));
                    return true;
                }
            }
        }
        return false;
    }

    /** At least one name, and each matched by some pattern. */
    private static boolean allMatch(List<QualifiedName> names, List<NamePattern> patterns, String what,
            List<String> because) {
        if (names.isEmpty()) {
            return false;
        }
        for (QualifiedName name : names) {
            if (!anyPattern(name, patterns)) {
                return false;
            }
        }
        because.add("all " + what + " " + names + " match " + patterns);
        return true;
    }

    private static boolean anyPattern(QualifiedName name, List<NamePattern> patterns) {
        for (NamePattern pattern : patterns) {
            if (pattern.matches(name)) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesCopy(StatementAnalysis statement, List<String> because) {
        if (statement.copy().isEmpty()) {
            return false;
        }
        CopySpec copy = statement.copy().get();
        if (!copyDirections.isEmpty() && !copyDirections.contains(copy.direction())) {
            return false;
        }
        if (!copyEndpoints.isEmpty() && !copyEndpoints.contains(copy.endpoint())) {
            return false;
        }
        because.add("COPY " + copy.direction() + " " + copy.endpoint());
        return true;
    }

    private boolean matchesSettings(StatementAnalysis statement, boolean everything, List<String> because) {
        if (everything) {
            if (statement.settings().isEmpty()) {
                return false;
            }
            for (String setting : statement.settings()) {
                if (settings.stream().noneMatch(glob -> glob.matches(setting))) {
                    return false;
                }
            }
            because.add("all settings " + new TreeSet<>(statement.settings()) + " match " + settings);
            return true;
        }
        for (String setting : statement.settings()) {
            for (Glob glob : settings) {
                if (glob.matches(setting)) {
                    because.add("setting " + setting + " matches " + glob);
                    return true;
                }
            }
        }
        return false;
    }

    private boolean matchesStartup(Map<String, String> startupParameters, List<String> because) {
        for (Map.Entry<String, Glob> condition : startup.entrySet()) {
            String value = startupParameters.get(condition.getKey());
            if (value == null || !condition.getValue().matches(value)) {
                return false;
            }
        }
        because.add("startup parameters match " + new TreeMap<>(startup));
        return true;
    }

    private List<String> sortedKinds() {
        return statements.stream().map(StatementMatch::lower).sorted().toList();
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
