package dev.warden.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatementSplitterTest {

    @Test
    void splitsAtTopLevelSemicolonsOnly() throws SqlLexException {
        assertThat(StatementSplitter.split("SELECT 1; SELECT 2;")).containsExactly("SELECT 1", "SELECT 2");
        assertThat(StatementSplitter.split("SELECT ';'; SELECT \";\" FROM t; SELECT $$;$$; SELECT E'\\';'"))
                .containsExactly("SELECT ';'", "SELECT \";\" FROM t", "SELECT $$;$$", "SELECT E'\\';'");
        assertThat(StatementSplitter.split("SELECT 1 -- ; DROP\n; /* ; */ SELECT 2"))
                .containsExactly("SELECT 1", "SELECT 2");
        assertThat(StatementSplitter.split("SELECT (SELECT 1; SELECT 2)")).hasSize(1);
    }

    @Test
    void dropsEmptyStatements() throws SqlLexException {
        assertThat(StatementSplitter.split(";;  ; -- nothing\n")).isEmpty();
        assertThat(StatementSplitter.split(";SELECT 1;;")).containsExactly("SELECT 1");
    }

    @Test
    void keepsBeginAtomicBodiesWhole() throws SqlLexException {
        String function = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END";
        assertThat(StatementSplitter.split(function + "; DELETE FROM t")).containsExactly(function, "DELETE FROM t");
        String procedure = "create or replace procedure p() language sql begin atomic delete from t; end";
        assertThat(StatementSplitter.split(procedure + ";select 1")).containsExactly(procedure, "select 1");
        // BEGIN as a transaction statement is not a body.
        assertThat(StatementSplitter.split("BEGIN; DELETE FROM t; END")).containsExactly("BEGIN", "DELETE FROM t", "END");
    }

    @Test
    void failsTheWholeMessageOnALexingError() {
        assertThatThrownBy(() -> StatementSplitter.split("SELECT 1; SELECT 'unterminated"))
                .isInstanceOf(SqlLexException.class);
    }

    @Test
    void standardConformingStringsOffChangesSplitting() throws SqlLexException {
        List<String> on = StatementSplitter.split("SELECT 'a\\'; DELETE FROM t; -- '", true);
        assertThat(on).containsExactly("SELECT 'a\\'", "DELETE FROM t");
        assertThat(StatementSplitter.split("SELECT 'a\\'; DELETE FROM t; -- '", false)).hasSize(1);
    }
}
