package dev.warden.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqlLexerTest {

    /** Renders tokens as TYPE:text, space separated, for compact expectations. */
    private static String lex(String sql, boolean scs) throws SqlLexException {
        return SqlLexer.tokenize(sql, scs).stream().map(t -> t.type().name().charAt(0) + t.type().name().substring(1, 3) + ":" + t.text())
                .collect(Collectors.joining(" "));
    }


    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> tokenCases() {
        return java.util.stream.Stream.of(
                row("SELECT Foo", "IDE:select IDE:foo"),
                row("\"Foo\"\"Bar\"", "QUO:Foo\"Bar"),
                row("a -- comment ; DROP\n b", "IDE:a IDE:b"),
                row("a /* x /* nested ; */ still */ b", "IDE:a IDE:b"),
                row("'it''s;'", "STR:it's;"),
                row("E'a\\'b\\n;'", "STR:a'b\n;"),
                row("e'\\x41\\101\\u0041'", "STR:AAA"),
                row("U&'d\\0061t\\+000061'", "STR:data"),
                row("U&'d!0061t' UESCAPE '!'", "STR:dat"),
                row("U&'d!0061t' /* c */ uescape\n'!'", "STR:dat"),
                row("U&\"d\\0061t\"", "QUO:dat"),
                row("B'0101'", "BIT:b0101"),
                row("X'1F'", "BIT:x1F"),
                row("N'x;'", "STR:x;"),
                row("$$a;'b$$", "STR:a;'b"),
                row("$tag$ $$ ; $tag$", "STR: $$ ; "),
                row("$a$ $b$ ; $a$", "STR: $b$ ; "),
                row("$1", "PAR:1"),
                row("$1::int", "PAR:1 TYP::: IDE:int"),
                row("a$b", "IDE:a$b"),
                row("a=-1", "IDE:a OPE:= OPE:- NUM:1"),
                row("a@-1", "IDE:a OPE:@- NUM:1"),
                row("a != b", "IDE:a OPE:<> IDE:b"),
                row("a ; b", "IDE:a SEM:; IDE:b"),
                row("1.5e3 .5 0x1F 1_000 0o17 0b101", "NUM:1.5e3 NUM:.5 NUM:0x1F NUM:1_000 NUM:0o17 NUM:0b101"),
                row("'a'\n'b'", "STR:ab"),
                row("'a' -- c\n'b'", "STR:ab"),
                row("'a' 'b'", "STR:a STR:b"),
                row("a+/*c*/b", "IDE:a OPE:+ IDE:b"),
                row("a--c\nb", "IDE:a IDE:b"),
                row("ÄBC", "IDE:Äbc"),
                row("x[1]", "IDE:x LEF:[ NUM:1 RIG:]"),
                row("';' \";\" $$;$$ E';' U&';' /*;*/ --;", "STR:; QUO:; STR:; STR:; STR:;"));
    }

    private static org.junit.jupiter.params.provider.Arguments row(String sql, String expected) {
        return org.junit.jupiter.params.provider.Arguments.of(sql, expected);
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("tokenCases")
    void tokens(String sql, String expected) throws SqlLexException {
        assertThat(lex(sql, true)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"'abc", "E'abc\\'", "\"abc", "$$abc", "$t$abc$$", "/* a /* b */", "U&'x", "U&'\\12'",
            "U&'a' UESCAPE", "U&'a' UESCAPE '+'", "\"\"", "1abc", "$1a", "0x", "B'012'", "X'G'", "E'\\u12'", "$", "a \\ b"})
    void rejects(String sql) {
        assertThatThrownBy(() -> SqlLexer.tokenize(sql)).isInstanceOf(SqlLexException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "`'a\\'; DROP TABLE t; --'`|STR:a'; DROP TABLE t; --",
            "`'a\\\\'`|STR:a\\",
    })
    void backslashesEscapeWhenStandardConformingStringsIsOff(String sql, String expected) throws SqlLexException {
        assertThat(lex(sql, false)).isEqualTo(expected);
    }

    @Test
    void standardConformingStringsChangesWhereTheStringEnds() throws SqlLexException {
        // With scs on, 'a\' is a complete string followed by "; DROP ..."; off, the quote is escaped.
        List<Token> on = SqlLexer.tokenize("SELECT 'a\\'; DROP TABLE t; --'", true);
        assertThat(on).filteredOn(t -> t.is(TokenType.SEMICOLON)).hasSize(2);
        List<Token> off = SqlLexer.tokenize("SELECT 'a\\'; DROP TABLE t; --'", false);
        assertThat(off).filteredOn(t -> t.is(TokenType.SEMICOLON)).isEmpty();
        assertThatThrownBy(() -> SqlLexer.tokenize("SELECT U&'x'", false)).isInstanceOf(SqlLexException.class);
    }

    @Test
    void truncatesLongIdentifiersLikePostgres() throws SqlLexException {
        String name = "a".repeat(70);
        assertThat(SqlLexer.tokenize(name).get(0).text()).hasSize(63);
        assertThat(SqlLexer.tokenize("\"" + "é".repeat(40) + "\"").get(0).text()).hasSize(31);
    }

    /** Wherever the lexer finds the word, the cheap search finds it too, whatever the case. */
    @ParameterizedTest
    @ValueSource(strings = {"COPY t TO STDOUT", "copy t from stdin", "  CoPy t", "select 1; copy", "/* x */Copy t"})
    void mayContainWordFindsEverySpellingTheLexerFolds(String sql) throws SqlLexException {
        assertThat(SqlLexer.tokenize(sql).stream().anyMatch(token -> token.isWord("copy"))).isTrue();
        assertThat(SqlLexer.mayContainWord(sql, "copy")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "cop", "SELECT 1", "SELECT c, o, p, y FROM cop_y"})
    void mayContainWordIsFalseWhenTheLettersAreNotThere(String sql) {
        assertThat(SqlLexer.mayContainWord(sql, "copy")).isFalse();
    }

    @Test
    void mayContainWordAlsoAcceptsWhatCaseInsensitiveComparisonEquatesButTheLexerWouldNotFold() {
        // U+017F (long s) upper-cases to S: regionMatches takes it for an s, so the search is wider than needed, never narrower.
        assertThat(SqlLexer.mayContainWord("SELECT \u017Fet_config('x', 'y', false)", "set_config")).isTrue();
    }
}
