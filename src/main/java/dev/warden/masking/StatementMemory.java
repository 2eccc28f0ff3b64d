package dev.warden.masking;

import dev.warden.sql.SqlLexException;
import dev.warden.sql.SqlLexer;
import dev.warden.sql.Token;
import dev.warden.sql.TokenType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL-level cursors and prepared statements hide their query behind a name: {@code FETCH 10 FROM c}
 * and {@code EXECUTE p} say nothing about masked columns, but the result is {@code c}'s or {@code p}'s.
 * Remembers, per name, whether the declaring text reached masked data; a name it does not know
 * counts as reaching it (fail closed). Bounded.
 */
final class StatementMemory {
    private static final int MAX_NAMES = 256;

    private final Map<String, Boolean> reaches = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_NAMES;
        }
    };

    /**
     * Whether {@code sql} (one message, maybe several statements) reaches masked data, given what
     * its own text reaches; remembers the cursors and statements it declares.
     */
    boolean reaches(String sql, boolean textReaches) {
        List<Token> tokens;
        try {
            tokens = SqlLexer.tokenize(sql);
        } catch (SqlLexException e) {
            return true;
        }
        boolean result = textReaches;
        int statementStart = 0;
        for (int i = 0; i <= tokens.size(); i++) {
            if (i < tokens.size() && !tokens.get(i).is(TokenType.SEMICOLON)) {
                continue;
            }
            if (i > statementStart) {
                result |= statement(tokens.subList(statementStart, i), textReaches);
            }
            statementStart = i + 1;
        }
        return result;
    }

    private boolean statement(List<Token> tokens, boolean textReaches) {
        Token first = tokens.get(0);
        if ((first.isWord("declare") || first.isWord("prepare")) && tokens.size() > 1 && tokens.get(1).isName()) {
            reaches.put(tokens.get(1).text(), textReaches);
            return false;
        }
        if (first.isWord("execute") && tokens.size() > 1 && tokens.get(1).isName()) {
            return reaches.getOrDefault(tokens.get(1).text(), true);
        }
        if (first.isWord("fetch") || first.isWord("move")) {
            Token last = tokens.get(tokens.size() - 1);
            return !last.isName() || reaches.getOrDefault(last.text(), true);
        }
        return false;
    }
}
