package dev.warden.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a simple-Query message into statements at top-level semicolons, using {@link SqlLexer} so a
 * semicolon inside a string, comment, quoted identifier or dollar quote never splits. Parentheses
 * nest. A SQL-standard function body ({@code CREATE FUNCTION ... BEGIN ATOMIC ...; ...; END}) stays
 * one statement: we track it the way psql's scanner does, counting BEGIN/CASE against END once the
 * statement starts with CREATE [OR REPLACE] FUNCTION|PROCEDURE.
 */
public final class StatementSplitter {
    private StatementSplitter() {
    }

    /** One statement of a message: its text (without the separating semicolon) and its tokens. */
    public record Piece(String text, List<Token> tokens) {
    }

    /** Statement texts, empty statements dropped. */
    public static List<String> split(String sql, boolean standardConformingStrings) throws SqlLexException {
        List<String> texts = new ArrayList<>();
        for (Piece piece : splitTokens(sql, standardConformingStrings)) {
            texts.add(piece.text());
        }
        return texts;
    }

    public static List<String> split(String sql) throws SqlLexException {
        return split(sql, true);
    }

    /**
     * Statements with their tokens (offsets rebased to the piece's text). The whole message is lexed
     * first: a lexing error anywhere fails the whole message, because once the scanner is lost we
     * cannot know where any later statement starts.
     */
    public static List<Piece> splitTokens(String sql, boolean standardConformingStrings) throws SqlLexException {
        List<Token> all = SqlLexer.tokenize(sql, standardConformingStrings);
        List<Piece> pieces = new ArrayList<>();
        int first = 0;
        int depth = 0;
        BodyTracker body = new BodyTracker();
        for (int i = 0; i < all.size(); i++) {
            Token t = all.get(i);
            switch (t.type()) {
                case LEFT_PAREN, LEFT_BRACKET -> depth++;
                case RIGHT_PAREN, RIGHT_BRACKET -> depth = Math.max(0, depth - 1);
                case IDENTIFIER -> body.word(t.text(), depth, i + 1 < all.size() ? all.get(i + 1) : null);
                case SEMICOLON -> {
                    if (depth == 0 && !body.inside()) {
                        addPiece(sql, all, first, i, pieces);
                        first = i + 1;
                        body = new BodyTracker();
                    }
                }
                default -> {
                }
            }
        }
        addPiece(sql, all, first, all.size(), pieces);
        return pieces;
    }

    private static void addPiece(String sql, List<Token> all, int from, int to, List<Piece> out) {
        if (from >= to) {
            return;
        }
        int start = all.get(from).start();
        int end = all.get(to - 1).end();
        List<Token> rebased = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            Token t = all.get(i);
            rebased.add(new Token(t.type(), t.text(), t.start() - start, t.end() - start));
        }
        out.add(new Piece(sql.substring(start, end), List.copyOf(rebased)));
    }

    /** psql's heuristic for {@code BEGIN ATOMIC ... END} bodies (see psqlscan.l, "begin_depth"). */
    private static final class BodyTracker {
        private final String[] leading = new String[4];
        private int wordsSeen;
        private int beginDepth;

        void word(String word, int parenDepth, Token next) {
            if (wordsSeen < leading.length) {
                leading[wordsSeen] = word;
            }
            wordsSeen++;
            if (!isRoutine() || parenDepth != 0) {
                return;
            }
            if (word.equals("begin") && next != null && next.isWord("atomic")) {
                beginDepth++;
            } else if (word.equals("case") && beginDepth > 0) {
                beginDepth++;
            } else if (word.equals("end") && beginDepth > 0) {
                beginDepth--;
            }
        }

        /** CREATE FUNCTION|PROCEDURE or CREATE OR REPLACE FUNCTION|PROCEDURE as the leading words. */
        private boolean isRoutine() {
            if (!"create".equals(leading[0])) {
                return false;
            }
            if (isRoutineWord(leading[1])) {
                return true;
            }
            return "or".equals(leading[1]) && "replace".equals(leading[2]) && isRoutineWord(leading[3]);
        }

        private static boolean isRoutineWord(String word) {
            return "function".equals(word) || "procedure".equals(word);
        }

        boolean inside() {
            return beginDepth > 0;
        }
    }
}
