package dev.warden.sql;

/**
 * One lexical token.
 *
 * @param text the token's value: folded identifier, decoded string content, operator text
 * @param start offset of the first character in the statement text
 * @param end offset after the last character
 */
public record Token(TokenType type, String text, int start, int end) {

    /** True for an unquoted identifier equal to {@code word} (lower case): how keywords are recognised. */
    public boolean isWord(String word) {
        return type == TokenType.IDENTIFIER && text.equals(word);
    }

    public boolean is(TokenType other) {
        return type == other;
    }

    /** True for an identifier, quoted or not: something that can name an object. */
    public boolean isName() {
        return type == TokenType.IDENTIFIER || type == TokenType.QUOTED_IDENTIFIER;
    }
}
