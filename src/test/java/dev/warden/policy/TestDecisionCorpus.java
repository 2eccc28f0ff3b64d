package dev.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.sql.CatalogView;
import dev.warden.sql.StatementAnalysis;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The sample policy against {@code src/test/resources/policy/decision-corpus.tsv}. */
class TestDecisionCorpus {

    private static final Path CORPUS = Path.of("src/test/resources/policy/decision-corpus.tsv");
    private static PolicyEngine engine;

    @BeforeAll
    static void loadSamplePolicy() throws Exception {
        engine = new PolicyEngine(PolicyLoader.load(Path.of("src/main/resources/policy/sample-policy.yaml")));
    }

    static Stream<Arguments> rows() throws IOException {
        List<String> lines = Files.readAllLines(CORPUS, StandardCharsets.UTF_8);
        return java.util.stream.IntStream.range(0, lines.size())
                .filter(i -> !lines.get(i).isBlank() && !lines.get(i).startsWith("#"))
                .mapToObj(i -> {
                    String[] columns = lines.get(i).split("\t", -1);
                    if (columns.length != 5) {
                        throw new IllegalArgumentException("line " + (i + 1) + ": expected 5 columns, got " + columns.length);
                    }
                    return Arguments.of(i + 1, columns[0], columns[1], columns[2], columns[3], columns[4]);
                });
    }

    @ParameterizedTest(name = "line {0}: {1} on {2}: {3}")
    @MethodSource("rows")
    void decides(int line, String subject, String target, String statement, String outcome, String rule) throws Exception {
        Decision decision = engine.decide(subject(subject), target, analysis(statement), Map.of());

        assertThat(decision.outcome()).as("outcome (line %d, because %s)", line, decision.because())
                .isEqualTo(Outcome.valueOf(outcome.toUpperCase(Locale.ROOT)));
        assertThat(decision.rule()).as("rule (line %d)", line).isEqualTo(rule);
        assertThat(decision.policyVersion()).isEqualTo(engine.policy().version());
    }

    @Test
    void corpusIsLargeEnoughAndCoversEveryRuleOfTheSamplePolicy() throws IOException {
        List<String> rules = rows().map(arguments -> (String) arguments.get()[5]).toList();

        assertThat(rules.size()).isGreaterThanOrEqualTo(150);
        assertThat(rules).containsAll(engine.policy().ruleNames());
        assertThat(rules).contains("default", "warden-unknown-statement", "warden-identity-switch", "warden-read-only");
    }

    private static Subject subject(String text) {
        boolean readOnly = text.endsWith("!ro");
        String rest = readOnly ? text.substring(0, text.length() - 3) : text;
        int plus = rest.indexOf('+');
        Set<String> groups = plus < 0 ? Set.of() : Set.of(rest.substring(plus + 1).split(","));
        return new Subject(plus < 0 ? rest : rest.substring(0, plus), groups, readOnly);
    }

    private static StatementAnalysis analysis(String statement) throws Exception {
        if (!statement.startsWith("sql:")) {
            return TestingStatements.parse(statement);
        }
        return analyse(statement.substring(4));
    }

    /**
     * SQL rows go through the real analyser once it is merged; until then they are skipped. Reflection
     * keeps this class compiling on the policy branch, which does not have the analyser yet.
     */
    private static StatementAnalysis analyse(String sql) throws Exception {
        Class<?> analyzer;
        Class<?> sessionState;
        try {
            analyzer = Class.forName("dev.warden.sql.StatementAnalyzer");
            sessionState = Class.forName("dev.warden.sql.SqlSessionState");
        } catch (ClassNotFoundException e) {
            Assumptions.abort("the analyser (dev.warden.sql.StatementAnalyzer) is not on this branch yet");
            throw new IllegalStateException("not reached");
        }
        Constructor<?> constructor = analyzer.getConstructor(CatalogView.class);
        Object instance = constructor.newInstance(CatalogView.empty());
        Object state = sessionState.getConstructor().newInstance();
        @SuppressWarnings("unchecked")
        List<StatementAnalysis> analyses = (List<StatementAnalysis>) analyzer.getMethod("analyze", String.class, sessionState)
                .invoke(instance, sql, state);
        boolean stub = analyses.stream().anyMatch(a -> a.notUnderstood().filter(r -> r.contains("not in this build")).isPresent());
        Assumptions.assumeFalse(stub, "only the temporary analyser stub is on this branch");
        assertThat(analyses).as("one statement in " + sql).hasSize(1);
        return analyses.get(0);
    }
}
