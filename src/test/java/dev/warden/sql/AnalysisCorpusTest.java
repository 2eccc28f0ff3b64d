package dev.warden.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table-driven corpus {@code sql/analysis-corpus.tsv}: one statement per line with its expected
 * kind, object type, effects, written tables, WHERE shape and settings ({@code *} = not checked,
 * {@code -} = none). Kind {@code NOT_UNDERSTOOD} means the statement must come back not understood.
 */
class AnalysisCorpusTest {
    private static final StatementAnalyzer ANALYZER = new StatementAnalyzer(TestingCatalog.standard());

    static List<Arguments> corpus() throws IOException {
        List<Arguments> rows = new ArrayList<>();
        try (var in = AnalysisCorpusTest.class.getResourceAsStream("/sql/analysis-corpus.tsv");
                var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", 7);
                if (f.length != 7) {
                    throw new IllegalStateException("corpus line " + number + " has " + f.length + " columns");
                }
                rows.add(Arguments.of(number, f[6].replace("\\n", "\n").replace("\\t", "\t"), f[0], f[1], f[2], f[3], f[4], f[5]));
            }
        }
        return rows;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("corpus")
    void analyses(int line, String sql, String kind, String objectType, String effects, String written, String where,
            String settings) {
        SqlSessionState session = new SqlSessionState();
        // Statements that EXECUTE rely on these being prepared earlier in the session.
        for (String prepare : List.of("PREPARE del AS DELETE FROM t", "PREPARE sel(int) AS SELECT * FROM t WHERE a = $1",
                "PREPARE upd AS UPDATE accounts SET balance = 0 WHERE id = 1")) {
            session.observeCompleted(ANALYZER.analyzeOne(prepare, session));
        }
        StatementAnalysis a = ANALYZER.analyzeOne(sql, session);
        if (kind.equals("NOT_UNDERSTOOD")) {
            assertThat(a.understood()).as("line %d should not be understood: %s", line, a).isFalse();
            return;
        }
        assertThat(a.notUnderstood()).as("line %d: %s", line, a).isEmpty();
        assertThat(a.kind().name()).as("kind, line %d", line).isEqualTo(kind);
        if (!objectType.equals("*")) {
            assertThat(String.valueOf(a.objectType())).as("objectType, line %d", line)
                    .isEqualTo(objectType.equals("-") ? "null" : objectType);
        }
        if (!effects.equals("*")) {
            assertThat(String.join(",", a.effects().stream().map(Enum::name).collect(Collectors.toCollection(TreeSet::new))))
                    .as("effects, line %d", line).isEqualTo(String.join(",", set(effects)));
        }
        if (!written.equals("*")) {
            assertThat(String.join(",", a.writtenTables().stream().map(QualifiedName::toString).collect(Collectors.toCollection(TreeSet::new))))
                    .as("written, line %d", line).isEqualTo(String.join(",", set(written)));
        }
        if (!where.equals("*")) {
            assertThat(a.where().name()).as("where, line %d", line).isEqualTo(where);
        }
        if (!settings.equals("*")) {
            assertThat(String.join(",", new TreeSet<>(a.settings()))).as("settings, line %d", line).isEqualTo(String.join(",", set(settings)));
        }
    }

    private static TreeSet<String> set(String commaSeparated) {
        return commaSeparated.equals("-") ? new TreeSet<>() : new TreeSet<>(Arrays.asList(commaSeparated.split(",")));
    }
}
