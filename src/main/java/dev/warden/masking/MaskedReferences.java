package dev.warden.masking;

import dev.warden.sql.SqlLexException;
import dev.warden.sql.SqlLexer;
import dev.warden.sql.Token;
import dev.warden.sql.TokenType;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a statement's text reaches masked data by a route whose result column has no source
 * PostgreSQL can report: an expression over a masked column ({@code upper(email)}), a whole row of a
 * masked relation ({@code row_to_json(c)}, {@code c::text}, {@code t.*}, {@code TABLE customers}), or
 * a masked column used to filter, join, sort or group (a predicate, which answers yes/no questions
 * about masked values).
 *
 * <p>Read from tokens, not a full parse, and on the safe side: a relation is matched by its name in
 * any schema, a column by its name in any mentioned masked relation, and text that cannot be lexed
 * counts as reaching everything.
 */
public final class MaskedReferences {

    /** What one statement's text does with masked data. */
    public record Found(boolean maskedData, boolean predicate) {
        static final Found NOTHING = new Found(false, false);
        static final Found EVERYTHING = new Found(true, true);
    }

    /** Words that end a FROM item, so they are never a table's alias. */
    private static final Set<String> CLAUSE_WORDS = Set.of("where", "group", "order", "having", "limit", "offset",
            "union", "intersect", "except", "window", "fetch", "for", "returning", "on", "using", "join", "inner",
            "left", "right", "full", "cross", "natural", "lateral", "set", "values", "select", "from", "into",
            "tablesample", "with", "then", "when", "else", "end", "and", "or", "not", "default", "do", "as");
    private static final Set<String> PREDICATE_WORDS = Set.of("where", "on", "having", "group", "order", "using",
            "partition", "filter");
    private static final Set<String> FROM_WORDS = Set.of("from", "join", "only", "update", "into", "lateral");
    private static final int MAX_DEPTH = 256;

    /** Masked relation name (unqualified, as in pg_class) to its masked column names. */
    private final Map<String, Set<String>> maskedColumns;

    public MaskedReferences(Map<String, Set<String>> maskedColumns) {
        this.maskedColumns = Map.copyOf(maskedColumns);
    }

    public boolean isEmpty() {
        return maskedColumns.isEmpty();
    }

    public Found find(String sql) {
        if (maskedColumns.isEmpty()) {
            return Found.NOTHING;
        }
        List<Token> tokens;
        try {
            tokens = SqlLexer.tokenize(sql);
        } catch (SqlLexException e) {
            return Found.EVERYTHING;
        }
        Set<String> mentioned = new HashSet<>();
        for (Token token : tokens) {
            String name = name(token);
            if (name != null && maskedColumns.containsKey(name)) {
                mentioned.add(name);
            }
        }
        if (mentioned.isEmpty()) {
            return Found.NOTHING;
        }
        Set<String> columns = new HashSet<>();
        for (String relation : mentioned) {
            columns.addAll(maskedColumns.get(relation));
        }
        return new Scan(tokens, mentioned, columns).run();
    }

    private static String name(Token token) {
        if (token.type() == TokenType.IDENTIFIER) {
            return token.text();
        }
        if (token.type() == TokenType.QUOTED_IDENTIFIER) {
            return token.text();
        }
        return null;
    }

    /** One pass over the tokens with a paren-depth stack for FROM lists and predicate clauses. */
    private static final class Scan {
        private final List<Token> tokens;
        private final Set<String> relations;
        private final Set<String> columns;
        private final Set<String> aliases = new HashSet<>();
        private final boolean[] inFrom = new boolean[MAX_DEPTH];
        private final boolean[] inPredicate = new boolean[MAX_DEPTH];
        private final boolean[] predicateAtOpen = new boolean[MAX_DEPTH];
        private boolean maskedData;
        private boolean predicate;

        Scan(List<Token> tokens, Set<String> relations, Set<String> columns) {
            this.tokens = tokens;
            this.relations = relations;
            this.columns = columns;
        }

        Found run() {
            collectAliases();
            int depth = 0;
            for (int i = 0; i < tokens.size(); i++) {
                Token token = tokens.get(i);
                switch (token.type()) {
                    case LEFT_PAREN -> {
                        if (++depth >= MAX_DEPTH) {
                            return Found.EVERYTHING;
                        }
                        inFrom[depth] = false;
                        inPredicate[depth] = inPredicate[depth - 1];
                        predicateAtOpen[depth] = inPredicate[depth];
                    }
                    case RIGHT_PAREN -> depth = Math.max(0, depth - 1);
                    case SEMICOLON -> {
                        inFrom[depth] = false;
                        inPredicate[depth] = false;
                    }
                    case OPERATOR -> {
                        if (token.text().equals("*") && isStar(i)) {
                            maskedData = true;
                        }
                    }
                    case IDENTIFIER, QUOTED_IDENTIFIER -> word(i, token, depth);
                    default -> {
                    }
                }
            }
            return new Found(maskedData || predicate, predicate);
        }

        private void word(int i, Token token, int depth) {
            String name = token.text();
            if (token.type() == TokenType.IDENTIFIER) {
                if (FROM_WORDS.contains(name)) {
                    inFrom[depth] = true;
                    inPredicate[depth] = predicateAtOpen[depth];
                } else if (name.equals("select") || name.equals("returning")) {
                    inFrom[depth] = false;
                    inPredicate[depth] = predicateAtOpen[depth];
                } else if (PREDICATE_WORDS.contains(name)) {
                    inFrom[depth] = false;
                    inPredicate[depth] = true;
                } else if (CLAUSE_WORDS.contains(name) && !name.equals("as")) {
                    inFrom[depth] = false;
                }
            }
            boolean qualifier = next(i, TokenType.DOT);
            if (columns.contains(name) && !qualifier) {
                maskedData = true;
                if (inPredicate[depth]) {
                    predicate = true;
                }
            }
            if ((relations.contains(name) || aliases.contains(name)) && !qualifier && !isDeclaration(i, depth)) {
                // The relation or its alias as a value: a whole row (c::text, row_to_json(c), (c).email).
                maskedData = true;
            }
            if (relations.contains(name) && i > 0 && tokens.get(i - 1).isWord("table")) {
                maskedData = true; // TABLE customers is SELECT * FROM customers
            }
        }

        private boolean isDeclaration(int i, int depth) {
            if (aliases.contains(tokens.get(i).text()) && i > 0) {
                Token previous = tokens.get(i - 1);
                if (previous.isWord("as") || (previous.isName() && relations.contains(previous.text()))) {
                    return true;
                }
            }
            if (i == 0) {
                return false;
            }
            Token previous = tokens.get(i - 1);
            if (previous.is(TokenType.DOT)) {
                return true; // schema.table: the schema decides, as for the unqualified name
            }
            if (previous.is(TokenType.COMMA)) {
                return inFrom[depth];
            }
            return previous.type() == TokenType.IDENTIFIER
                    && (FROM_WORDS.contains(previous.text()) || previous.text().equals("table"));
        }

        /** A table name followed by an alias (with or without AS) declares that alias. */
        private void collectAliases() {
            for (int i = 0; i + 1 < tokens.size(); i++) {
                Token token = tokens.get(i);
                if (!token.isName() || !relations.contains(token.text()) || next(i, TokenType.DOT)) {
                    continue;
                }
                int at = i + 1;
                if (tokens.get(at).isWord("as") && at + 1 < tokens.size()) {
                    at++;
                }
                Token alias = tokens.get(at);
                if (alias.isName() && !(alias.type() == TokenType.IDENTIFIER && CLAUSE_WORDS.contains(alias.text()))) {
                    aliases.add(alias.text());
                }
            }
        }

        /** {@code *} as "all columns": after a dot, SELECT, DISTINCT, ALL, RETURNING or a comma; not {@code count(*)} or multiplication. */
        private boolean isStar(int i) {
            if (i == 0) {
                return false;
            }
            Token previous = tokens.get(i - 1);
            return previous.is(TokenType.DOT) || previous.is(TokenType.COMMA) || previous.isWord("select")
                    || previous.isWord("distinct") || previous.isWord("all") || previous.isWord("returning");
        }

        private boolean next(int i, TokenType type) {
            return i + 1 < tokens.size() && tokens.get(i + 1).is(type);
        }
    }

}
