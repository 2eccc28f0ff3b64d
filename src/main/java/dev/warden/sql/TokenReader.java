package dev.warden.sql;

import java.util.List;

/** A cursor over one statement's tokens for the keyword-driven classifiers. */
final class TokenReader {
    private final List<Token> tokens;
    private int index;

    TokenReader(List<Token> tokens) {
        this.tokens = tokens;
    }

    boolean atEnd() {
        return index >= tokens.size();
    }

    Token peek() {
        return index < tokens.size() ? tokens.get(index) : null;
    }

    Token peek(int ahead) {
        return index + ahead < tokens.size() ? tokens.get(index + ahead) : null;
    }

    Token next() {
        return tokens.get(index++);
    }

    int position() {
        return index;
    }

    void reset(int position) {
        index = position;
    }

    boolean peekWord(String word) {
        Token t = peek();
        return t != null && t.isWord(word);
    }

    /** Consumes the given words if they all come next, in order. */
    boolean accept(String... words) {
        for (int i = 0; i < words.length; i++) {
            Token t = peek(i);
            if (t == null || !t.isWord(words[i])) {
                return false;
            }
        }
        index += words.length;
        return true;
    }

    boolean accept(TokenType type) {
        Token t = peek();
        if (t != null && t.is(type)) {
            index++;
            return true;
        }
        return false;
    }

    /** A possibly qualified name ({@code a}, {@code a.b}, {@code a.b.c}); null if no name comes next. */
    QualifiedName name() {
        Token first = peek();
        if (first == null || !first.isName()) {
            return null;
        }
        index++;
        String schema = null;
        String name = first.text();
        while (peek() != null && peek().is(TokenType.DOT) && peek(1) != null && peek(1).isName()) {
            schema = name;
            name = tokens.get(index + 1).text();
            index += 2;
        }
        return new QualifiedName(schema, name);
    }

    /** Skips a parenthesised group if one comes next; false when it is not closed. */
    boolean skipParentheses() {
        if (atEnd() || !peek().is(TokenType.LEFT_PAREN)) {
            return true;
        }
        int depth = 0;
        while (!atEnd()) {
            Token t = next();
            if (t.is(TokenType.LEFT_PAREN)) {
                depth++;
            } else if (t.is(TokenType.RIGHT_PAREN) && --depth == 0) {
                return true;
            }
        }
        return false;
    }

    /** Advances to the next top-level (depth 0) occurrence of {@code word}; false (at the end) if none. */
    boolean skipTo(String word) {
        int depth = 0;
        while (!atEnd()) {
            Token t = peek();
            if (depth == 0 && t.isWord(word)) {
                return true;
            }
            if (t.is(TokenType.LEFT_PAREN)) {
                depth++;
            } else if (t.is(TokenType.RIGHT_PAREN)) {
                depth--;
            }
            index++;
        }
        return false;
    }

    List<Token> slice(int from, int to) {
        return tokens.subList(from, to);
    }

    List<Token> rest() {
        return tokens.subList(index, tokens.size());
    }

    /** True if the word appears anywhere from here on (outside nothing: a plain scan). */
    boolean containsWord(String word) {
        for (int i = index; i < tokens.size(); i++) {
            if (tokens.get(i).isWord(word)) {
                return true;
            }
        }
        return false;
    }
}
