package dev.warden.masking;

import dev.warden.catalog.CatalogSnapshot;
import dev.warden.sql.SqlLexException;
import dev.warden.sql.SqlLexer;
import dev.warden.sql.Token;
import dev.warden.sql.TokenType;
import java.util.HashSet;
import java.util.Set;

/**
 * The quoted parts of a server message that are names rather than values, so that masking the quoted
 * parts of an error about masked data leaves {@code column "emial" does not exist} and
 * {@code Perhaps you meant to reference the column "customers.email"} readable: an agent needs those
 * names to fix its query, and they say nothing about the data.
 *
 * <p>A quoted part is a name when each of its dot-separated parts is a name, keyword or symbol the
 * statement itself wrote (the client knows it already) or a schema, relation, column or function name
 * of the catalog (metadata, not data). String and number literals of the statement do not count: a
 * value PostgreSQL quotes back that equals one would confirm a guess about the data. What is kept still
 * goes through the content detectors and the session's known values afterwards.
 */
final class QuotedNames {
    private final Set<String> statementWords;
    private final CatalogSnapshot catalog;

    private QuotedNames(Set<String> statementWords, CatalogSnapshot catalog) {
        this.statementWords = statementWords;
        this.catalog = catalog;
    }

    /**
     * @param sql the statement the message belongs to; null when unknown
     * @param catalog the target's catalog; null when not loaded
     */
    static QuotedNames of(String sql, CatalogSnapshot catalog) {
        return new QuotedNames(wordsOf(sql), catalog);
    }

    /** Nothing counts as a name: every quoted part is masked. */
    static QuotedNames none() {
        return new QuotedNames(Set.of(), null);
    }

    boolean isName(String quoted) {
        if (quoted.isEmpty()) {
            return false;
        }
        int start = 0;
        while (true) {
            int dot = quoted.indexOf('.', start);
            int end = dot < 0 ? quoted.length() : dot;
            String part = quoted.substring(start, end);
            if (!statementWords.contains(part) && (catalog == null || !catalog.isName(part))) {
                return false;
            }
            if (dot < 0) {
                return true;
            }
            start = dot + 1;
        }
    }

    /** Identifiers (as written and as folded), quoted identifiers, operators and punctuation of the statement. */
    private static Set<String> wordsOf(String sql) {
        if (sql == null) {
            return Set.of();
        }
        Set<String> words = new HashSet<>();
        try {
            for (Token token : SqlLexer.tokenize(sql)) {
                TokenType type = token.type();
                if (type == TokenType.STRING || type == TokenType.BIT_STRING || type == TokenType.NUMBER
                        || type == TokenType.PARAMETER) {
                    continue;
                }
                words.add(token.text());
                words.add(sql.substring(token.start(), token.end()));
            }
        } catch (SqlLexException e) {
            return Set.of(); // a statement that does not lex names nothing: every quoted part stays masked
        }
        return words;
    }
}
