package dev.warden.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlSessionStateTest {
    private final StatementAnalyzer analyzer = new StatementAnalyzer(TestingCatalog.standard());
    private final SqlSessionState session = new SqlSessionState();

    private StatementAnalysis run(String sql) {
        StatementAnalysis a = analyzer.analyzeOne(sql, session);
        session.observeCompleted(a);
        return a;
    }

    @Test
    void tracksSearchPathForNameResolution() {
        assertThat(session.searchPath()).containsExactly("$user", "public");
        run("SET search_path TO secret, public");
        assertThat(session.searchPath()).containsExactly("secret", "public");
        assertThat(run("DELETE FROM keys").writtenTables()).containsExactly(new QualifiedName("secret", "keys"));
        run("RESET search_path");
        assertThat(run("DELETE FROM keys").writtenTables()).containsExactly(new QualifiedName(null, "keys"));
        run("SELECT set_config('search_path', 'secret, \"Public\"', false)");
        assertThat(session.searchPath()).containsExactly("secret", "Public");
        run("SET SCHEMA 'public'");
        assertThat(session.searchPath()).containsExactly("public");
        run("RESET ALL");
        assertThat(session.searchPath()).isEqualTo(SqlSessionState.DEFAULT_SEARCH_PATH);
    }

    @Test
    void aSetConfigCallIsFollowedInAnySpellingTheLexerFoldsAndOrdinarySelectsChangeNothing() {
        run("SELECT abalance FROM pgbench_accounts WHERE aid = 1");
        assertThat(session.searchPath()).isEqualTo(SqlSessionState.DEFAULT_SEARCH_PATH);
        run("SELECT 1, SET_CONFIG('search_path', 'secret', false)");
        assertThat(session.searchPath()).containsExactly("secret");
        run("select Set_Config('search_path', 'public', false) /* set_config elsewhere */");
        assertThat(session.searchPath()).containsExactly("public");
    }

    @Test
    void setLocalLastsUntilTheTransactionEnds() {
        run("SET LOCAL search_path = secret");
        assertThat(session.searchPath()).containsExactly("secret");
        session.observeReadyForQuery('T');
        assertThat(session.searchPath()).containsExactly("secret");
        session.observeReadyForQuery('I');
        assertThat(session.searchPath()).isEqualTo(SqlSessionState.DEFAULT_SEARCH_PATH);
    }

    @Test
    void tracksStandardConformingStrings() {
        run("SET standard_conforming_strings = off");
        assertThat(session.standardConformingStrings()).isFalse();
        // Now a backslash escapes the quote: the whole text is one string, one statement.
        assertThat(analyzer.analyze("SELECT 'a\\'; DELETE FROM t; -- '", session)).hasSize(1);
        run("SET standard_conforming_strings TO DEFAULT");
        assertThat(session.standardConformingStrings()).isTrue();
        assertThat(analyzer.analyze("SELECT 'a\\'; DELETE FROM t; -- '", session)).hasSize(2);
    }

    @Test
    void tracksPreparedStatements() {
        assertThat(run("EXECUTE d").understood()).isFalse();
        run("PREPARE d AS DELETE FROM t");
        StatementAnalysis execute = run("EXECUTE d");
        assertThat(execute.effects()).contains(StatementKind.DELETE);
        assertThat(execute.where()).isEqualTo(WhereShape.ABSENT);
        assertThat(run("EXECUTE d(pg_read_file('/etc/passwd'))").functions())
                .contains(new QualifiedName("pg_catalog", "pg_read_file"));
        run("DEALLOCATE d");
        assertThat(run("EXECUTE d").understood()).isFalse();
        run("PREPARE e AS SELECT 1");
        run("DISCARD ALL");
        assertThat(session.preparedStatement("e")).isEmpty();
    }

    @Test
    void refusedStatementsChangeNothing() {
        StatementAnalysis a = analyzer.analyzeOne("SET search_path TO secret", session);
        // The proxy only reports statements the server completed; nothing observed, nothing changed.
        assertThat(a.settings()).containsExactly("search_path");
        assertThat(session.searchPath()).isEqualTo(List.of("$user", "public"));
    }
}
