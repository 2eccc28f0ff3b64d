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

    /**
     * What one statement's text does with masked data.
     *
     * @param maskedData it reaches masked data anywhere: its computed result columns are masked
     * @param predicate a masked column is used to filter, join, sort or group
     * @param staged masked data flows into something the statement stores, sets or sends (an INSERT's
     *     source, an UPDATE's new values, CREATE ... AS, SELECT INTO, a function's arguments); not
     *     counted: the client's own result (a top-level SELECT, RETURNING), SET and INSERT target
     *     columns, and predicates
     */
    public record Found(boolean maskedData, boolean predicate, boolean staged) {
        static final Found NOTHING = new Found(false, false, false);
        static final Found EVERYTHING = new Found(true, true, true);
    }

    /** Words that end a FROM item, so they are never a table's alias. */
    private static final Set<String> CLAUSE_WORDS = Set.of("where", "group", "order", "having", "limit", "offset",
            "union", "intersect", "except", "window", "fetch", "for", "returning", "on", "using", "join", "inner",
            "left", "right", "full", "cross", "natural", "lateral", "set", "values", "select", "from", "into",
            "tablesample", "with", "then", "when", "else", "end", "and", "or", "not", "default", "do", "as");
    private static final Set<String> PREDICATE_WORDS = Set.of("where", "on", "having", "group", "order", "using",
            "partition", "filter");
    private static final Set<String> FROM_WORDS = Set.of("from", "join", "only", "update", "into", "lateral");
    /** Words after which a relation's name names it as an object, not a row value. */
    private static final Set<String> NAMING_WORDS = Set.of("table", "copy", "truncate", "lock", "analyze", "vacuum",
            "cluster", "reindex", "on", "view", "exists");
    private static final int MAX_DEPTH = 256;
    private static final Set<String> TOP_LEVEL_VERBS = Set.of("select", "table", "values", "insert", "update", "delete",
            "merge", "create", "copy", "explain", "prepare", "declare", "do", "call");

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
        private final boolean[] returning = new boolean[MAX_DEPTH];
        private final boolean[] setList = new boolean[MAX_DEPTH];
        private final boolean[] columnList = new boolean[MAX_DEPTH];
        private boolean maskedData;
        private boolean predicate;
        private boolean staged;
        /** The statement's own result goes to the client (SELECT, TABLE or VALUES without INTO at top level). */
        private boolean clientResultAtTop;

        Scan(List<Token> tokens, Set<String> relations, Set<String> columns) {
            this.tokens = tokens;
            this.relations = relations;
            this.columns = columns;
        }

        Found run() {
            collectAliases();
            clientResultAtTop = topLevelIsClientResult();
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
                        returning[depth] = returning[depth - 1];
                        setList[depth] = false;
                        columnList[depth] = isInsertColumnList(i);
                    }
                    case RIGHT_PAREN -> depth = Math.max(0, depth - 1);
                    case SEMICOLON -> {
                        inFrom[depth] = false;
                        inPredicate[depth] = false;
                        returning[depth] = false;
                        setList[depth] = false;
                    }
                    case OPERATOR -> {
                        if (token.text().equals("*") && isStar(i)) {
                            reached(depth, false);
                        }
                    }
                    case IDENTIFIER, QUOTED_IDENTIFIER -> word(i, token, depth);
                    default -> {
                    }
                }
            }
            return new Found(maskedData || predicate, predicate, staged);
        }

        /** One use of masked data at {@code depth}; {@code setTarget} for a column assigned by SET. */
        private void reached(int depth, boolean setTarget) {
            maskedData = true;
            if (inPredicate[depth]) {
                predicate = true;
                return;
            }
            if (!setTarget && !returning[depth] && !columnList[depth] && !(clientResultAtTop && depth == 0)) {
                staged = true;
            }
        }

        /** The first verb at depth 0 after any WITH list: SELECT, TABLE or VALUES, with no INTO at depth 0. */
        private boolean topLevelIsClientResult() {
            int depth = 0;
            String verb = null;
            for (Token token : tokens) {
                if (token.is(TokenType.LEFT_PAREN)) {
                    depth++;
                } else if (token.is(TokenType.RIGHT_PAREN)) {
                    depth--;
                } else if (depth == 0 && token.type() == TokenType.IDENTIFIER) {
                    if (verb == null && TOP_LEVEL_VERBS.contains(token.text())) {
                        verb = token.text();
                    } else if (token.text().equals("into")) {
                        return false;
                    }
                }
            }
            return verb != null && (verb.equals("select") || verb.equals("table") || verb.equals("values"));
        }

        /** A paren right after {@code INTO name} or {@code INTO schema.name}: an INSERT's target columns. */
        private boolean isInsertColumnList(int paren) {
            int at = paren - 1;
            if (at < 1 || !tokens.get(at).isName()) {
                return false;
            }
            if (at >= 3 && tokens.get(at - 1).is(TokenType.DOT)) {
                at -= 2;
            }
            return tokens.get(at - 1).isWord("into");
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
                    returning[depth] = name.equals("returning") || (depth > 0 && returning[depth - 1]);
                    setList[depth] = false;
                } else if (name.equals("set")) {
                    setList[depth] = true;
                } else if (PREDICATE_WORDS.contains(name)) {
                    inFrom[depth] = false;
                    inPredicate[depth] = true;
                    setList[depth] = false;
                } else if (CLAUSE_WORDS.contains(name) && !name.equals("as")) {
                    inFrom[depth] = false;
                }
            }
            boolean qualifier = next(i, TokenType.DOT);
            if (i > 0 && tokens.get(i - 1).isWord("as")) {
                // A name after AS is declared (an output column, table or CTE alias, a type in CAST),
                // never read: SELECT count(*) AS customers FROM customers reaches no customer's data.
                return;
            }
            if (columns.contains(name) && !qualifier) {
                reached(depth, isSetTarget(i, depth));
            }
            if ((relations.contains(name) || aliases.contains(name)) && !qualifier && !isDeclaration(i, depth)) {
                // The relation or its alias as a value: a whole row (c::text, row_to_json(c), (c).email).
                reached(depth, false);
            }
            if (relations.contains(name) && i > 0 && tokens.get(i - 1).isWord("table")) {
                reached(depth, false); // TABLE customers is SELECT * FROM customers
            }
        }

        /** {@code SET email = ...}: the column assigned, not read. */
        private boolean isSetTarget(int i, int depth) {
            if (!setList[depth] || i == 0 || i + 1 >= tokens.size()) {
                return false;
            }
            Token previous = tokens.get(i - 1);
            Token next = tokens.get(i + 1);
            return (previous.isWord("set") || previous.is(TokenType.COMMA) || previous.is(TokenType.DOT))
                    && next.is(TokenType.OPERATOR) && next.text().equals("=");
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
                    && (FROM_WORDS.contains(previous.text()) || NAMING_WORDS.contains(previous.text()));
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
