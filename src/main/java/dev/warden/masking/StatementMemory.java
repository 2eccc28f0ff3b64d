package dev.warden.masking;

import dev.warden.bounded.LeastRecentlyUsedMap;
import dev.warden.sql.SqlLexException;
import dev.warden.sql.SqlLexer;
import dev.warden.sql.Token;
import dev.warden.sql.TokenType;
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

    private final Map<String, Boolean> reaches = new LeastRecentlyUsedMap<>(MAX_NAMES);

    /**
     * Texts seen before without any statement that declares or names a cursor or prepared statement:
     * what they reach is what their text reaches, whatever is remembered. Bounded like the names.
     */
    private final Map<String, Boolean> plainTexts = new LeastRecentlyUsedMap<>(MAX_NAMES);

    /**
     * Whether {@code sql} (one message, maybe several statements) reaches masked data, given what
     * its own text reaches; remembers the cursors and statements it declares.
     */
    boolean reaches(String sql, boolean textReaches) {
        if (plainTexts.containsKey(sql)) {
            return textReaches; // the same Execute again and again: no need to lex it every time
        }
        List<Token> tokens;
        try {
            tokens = SqlLexer.tokenize(sql);
        } catch (SqlLexException e) {
            return true;
        }
        boolean result = textReaches;
        boolean plain = true;
        int statementStart = 0;
        for (int i = 0; i <= tokens.size(); i++) {
            if (i < tokens.size() && !tokens.get(i).is(TokenType.SEMICOLON)) {
                continue;
            }
            if (i > statementStart) {
                List<Token> statement = tokens.subList(statementStart, i);
                plain &= !namesOrDeclares(statement.get(0));
                result |= statement(statement, textReaches);
            }
            statementStart = i + 1;
        }
        if (plain) {
            plainTexts.put(sql, Boolean.TRUE);
        }
        return result;
    }

    /** Statements whose meaning depends on, or changes, what is remembered here. */
    private static boolean namesOrDeclares(Token first) {
        return first.isWord("declare") || first.isWord("prepare") || first.isWord("execute") || first.isWord("fetch")
                || first.isWord("move");
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
