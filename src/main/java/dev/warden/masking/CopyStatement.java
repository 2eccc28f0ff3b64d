package dev.warden.masking;

import dev.warden.sql.SqlLexException;
import dev.warden.sql.SqlLexer;
import dev.warden.sql.Token;
import dev.warden.sql.TokenType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a COPY ... TO STDOUT statement copies and in which shape, read from its text: the table and
 * column list (or a query, whose columns have no known source), and the format options that decide
 * how a row is cut into fields.
 *
 * @param schema the table's schema when written, else null
 * @param table the table, or null for {@code COPY (query) TO}
 * @param columns the column list as written (empty: every column)
 */
public record CopyStatement(String schema, String table, List<String> columns, CopyFormat format) {

    /** Reads the first COPY of {@code sql}; empty when there is none or it cannot be read. */
    public static Optional<CopyStatement> read(String sql) {
        List<Token> tokens;
        try {
            tokens = SqlLexer.tokenize(sql);
        } catch (SqlLexException e) {
            return Optional.empty();
        }
        int at = 0;
        while (at < tokens.size() && !tokens.get(at).isWord("copy")) {
            at++;
        }
        if (++at >= tokens.size()) {
            return Optional.empty();
        }
        String schema = null;
        String table = null;
        List<String> columns = new ArrayList<>();
        if (tokens.get(at).is(TokenType.LEFT_PAREN)) {
            at = skipParens(tokens, at);
        } else {
            table = tokens.get(at++).text();
            if (at + 1 < tokens.size() && tokens.get(at).is(TokenType.DOT)) {
                schema = table;
                table = tokens.get(at + 1).text();
                at += 2;
            }
            if (at < tokens.size() && tokens.get(at).is(TokenType.LEFT_PAREN)) {
                for (at++; at < tokens.size() && !tokens.get(at).is(TokenType.RIGHT_PAREN); at++) {
                    if (tokens.get(at).isName()) {
                        columns.add(tokens.get(at).text());
                    }
                }
                at++;
            }
        }
        return Optional.of(new CopyStatement(schema, table, columns, format(tokens, at)));
    }

    private static int skipParens(List<Token> tokens, int at) {
        int depth = 0;
        for (; at < tokens.size(); at++) {
            if (tokens.get(at).is(TokenType.LEFT_PAREN)) {
                depth++;
            } else if (tokens.get(at).is(TokenType.RIGHT_PAREN) && --depth == 0) {
                return at + 1;
            }
        }
        return at;
    }

    /** FORMAT csv|binary|text, the old CSV / BINARY words, DELIMITER 'x', HEADER. */
    private static CopyFormat format(List<Token> tokens, int from) {
        CopyFormat.Kind kind = CopyFormat.Kind.TEXT;
        Byte delimiter = null;
        boolean header = false;
        for (int at = from; at < tokens.size() && !tokens.get(at).is(TokenType.SEMICOLON); at++) {
            Token token = tokens.get(at);
            if (token.isWord("csv") || (token.is(TokenType.STRING) && token.text().equalsIgnoreCase("csv"))) {
                kind = CopyFormat.Kind.CSV;
            } else if (token.isWord("binary") || (token.is(TokenType.STRING) && token.text().equalsIgnoreCase("binary"))) {
                kind = CopyFormat.Kind.BINARY;
            } else if (token.isWord("header")) {
                header = !(at + 1 < tokens.size() && (tokens.get(at + 1).isWord("false") || tokens.get(at + 1).isWord("off")));
            } else if (token.isWord("delimiter") && at + 1 < tokens.size()) {
                Token value = tokens.get(at + 1).isWord("as") && at + 2 < tokens.size() ? tokens.get(at + 2) : tokens.get(at + 1);
                if (value.is(TokenType.STRING) && value.text().length() == 1 && value.text().charAt(0) < 0x80) {
                    delimiter = (byte) value.text().charAt(0);
                }
            }
        }
        byte chosen = delimiter != null ? delimiter : kind == CopyFormat.Kind.CSV ? (byte) ',' : (byte) '\t';
        return new CopyFormat(kind, chosen, header);
    }
}
