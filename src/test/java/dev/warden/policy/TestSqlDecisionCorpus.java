package dev.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.sql.CatalogView;
import dev.warden.sql.QualifiedName;
import dev.warden.sql.SqlSessionState;
import dev.warden.sql.StatementAnalysis;
import dev.warden.sql.StatementAnalyzer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample policy decides real SQL: every row of {@code src/test/resources/policy/sql-decision-corpus.tsv}
 * goes through the real {@link StatementAnalyzer} (over {@link ShopCatalog}) and {@link PolicyEngine}.
 */
class TestSqlDecisionCorpus {

    private static final Path CORPUS = Path.of("src/test/resources/policy/sql-decision-corpus.tsv");
    /** Separates earlier messages of the same session (run for their session effects only) from the decided one. */
    private static final String THEN = " ⟶ ";
    private static final String TARGET = "shop";

    private static PolicyEngine engine;
    private static StatementAnalyzer analyzer;

    @BeforeAll
    static void loadSamplePolicy() throws Exception {
        engine = new PolicyEngine(PolicyLoader.load(Path.of("src/main/resources/policy/sample-policy.yaml")));
        analyzer = new StatementAnalyzer(new ShopCatalog());
    }

    record Row(int line, String sql, String subject, String target, Outcome outcome, String rule) {}

    static List<Row> corpus() throws IOException {
        List<String> lines = Files.readAllLines(CORPUS, StandardCharsets.UTF_8);
        return IntStream.range(0, lines.size())
                .filter(i -> !lines.get(i).isBlank() && !lines.get(i).startsWith("#"))
                .mapToObj(i -> {
                    String[] columns = lines.get(i).split("\t", -1);
                    if (columns.length != 5) {
                        throw new IllegalArgumentException("line " + (i + 1) + ": expected 5 columns, got " + columns.length);
                    }
                    return new Row(i + 1, unescape(columns[0]), columns[1], columns[2],
                            Outcome.valueOf(columns[3].toUpperCase(Locale.ROOT)), columns[4]);
                })
                .toList();
    }

    static Stream<Arguments> rows() throws IOException {
        return corpus().stream().map(row -> Arguments.of(row.line(), row.sql(), row));
    }

    @ParameterizedTest(name = "line {0}: {1}")
    @MethodSource("rows")
    void decides(int line, String sql, Row row) {
        Decision decision = decide(row);

        assertThat(decision.rule()).as("rule (line %d, %s, because %s)", line, decision.outcome(), decision.because())
                .isEqualTo(row.rule());
        assertThat(decision.outcome()).as("outcome (line %d)", line).isEqualTo(row.outcome());
        assertThat(decision.policyVersion()).isEqualTo(engine.policy().version());
    }

    @Test
    void corpusIsLargeAndCoversEveryRuleAndOutcome() throws IOException {
        List<Row> rows = corpus();

        assertThat(rows).hasSizeGreaterThanOrEqualTo(400);
        assertThat(rows).extracting(Row::rule).containsAll(engine.policy().ruleNames())
                .contains("default", "warden-unknown-statement", "warden-identity-switch", "warden-read-only");
        assertThat(rows).extracting(Row::outcome).contains(Outcome.values());
        assertThat(rows).extracting(row -> row.sql() + " as " + row.subject()).doesNotHaveDuplicates();
    }

    private static Decision decide(Row row) {
        SqlSessionState session = new SqlSessionState();
        String[] messages = row.sql().split(THEN);
        for (int i = 0; i < messages.length - 1; i++) {
            // Earlier messages ran before (e.g. under an older policy): only their effect on the session counts.
            for (StatementAnalysis earlier : analyzer.analyze(messages[i], session)) {
                session.observeCompleted(earlier);
            }
            session.observeReadyForQuery('I');
        }
        List<StatementAnalysis> statements = analyzer.analyze(messages[messages.length - 1], session);
        return engine.decideAll(subject(row.subject()), row.target(), statements, Map.of());
    }

    /** {@code agent-1}, {@code agent-1+dbas,ops} (configured groups), {@code reader!ro} (read-only access). */
    private static Subject subject(String text) {
        boolean readOnly = text.endsWith("!ro");
        String rest = readOnly ? text.substring(0, text.length() - 3) : text;
        int plus = rest.indexOf('+');
        Set<String> groups = plus < 0 ? Set.of() : Set.of(rest.substring(plus + 1).split(","));
        return new Subject(plus < 0 ? rest : rest.substring(0, plus), groups, readOnly);
    }

    /** A TSV cell cannot hold a tab or a line break: {@code \t}, {@code \n} and {@code \\} stand for them. */
    private static String unescape(String cell) {
        StringBuilder out = new StringBuilder(cell.length());
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c == '\\' && i + 1 < cell.length()) {
                char next = cell.charAt(++i);
                out.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The shop database: tables public.customers, public.orders, public.payments and the view
     * public.customer_emails over customers; a few pg_catalog functions. search_path resolution as
     * PostgreSQL: pg_catalog first unless listed, {@code $user} has no schema here.
     */
    static final class ShopCatalog implements CatalogView {
        private static final QualifiedName CUSTOMERS = new QualifiedName("public", "customers");
        private static final Map<QualifiedName, List<QualifiedName>> RELATIONS = Map.of(
                CUSTOMERS, List.of(),
                new QualifiedName("public", "orders"), List.of(),
                new QualifiedName("public", "payments"), List.of(),
                new QualifiedName("public", "customer_emails"), List.of(CUSTOMERS));
        private static final Set<QualifiedName> FUNCTIONS = Set.of(
                new QualifiedName("pg_catalog", "now"), new QualifiedName("pg_catalog", "count"),
                new QualifiedName("pg_catalog", "lower"), new QualifiedName("pg_catalog", "set_config"),
                new QualifiedName("pg_catalog", "pg_read_file"), new QualifiedName("pg_catalog", "pg_ls_dir"),
                new QualifiedName("pg_catalog", "lo_import"), new QualifiedName("pg_catalog", "lo_export"),
                new QualifiedName("pg_catalog", "pg_terminate_backend"), new QualifiedName("pg_catalog", "setval"));

        @Override
        public Optional<QualifiedName> resolveRelation(QualifiedName name, List<String> searchPath) {
            return resolve(name, searchPath, RELATIONS.keySet());
        }

        @Override
        public boolean isView(QualifiedName relation) {
            return !RELATIONS.getOrDefault(relation, List.of()).isEmpty();
        }

        @Override
        public List<QualifiedName> viewBaseTables(QualifiedName view) {
            return RELATIONS.getOrDefault(view, List.of());
        }

        @Override
        public Optional<QualifiedName> resolveFunction(QualifiedName name, List<String> searchPath) {
            return resolve(name, searchPath, FUNCTIONS);
        }

        private static Optional<QualifiedName> resolve(QualifiedName name, List<String> searchPath, Set<QualifiedName> known) {
            if (name.schema() != null) {
                return known.contains(name) ? Optional.of(name) : Optional.empty();
            }
            QualifiedName inCatalog = new QualifiedName("pg_catalog", name.name());
            if (!searchPath.contains("pg_catalog") && known.contains(inCatalog)) {
                return Optional.of(inCatalog);
            }
            return searchPath.stream().map(schema -> new QualifiedName(schema, name.name())).filter(known::contains).findFirst();
        }
    }
}
