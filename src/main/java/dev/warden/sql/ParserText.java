package dev.warden.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Our tokens re-rendered as plain text for JSqlParser. The parser never sees the original text: it
 * sees every string constant (plain, E'', U&'', dollar quoted, bit string) as a placeholder
 * {@code '~N'}, with comments gone. So JSqlParser cannot disagree with our PostgreSQL-faithful
 * lexer about where a literal ends, which is how a statement would hide inside a "string".
 */
final class ParserText {
    static final String PLACEHOLDER_PREFIX = "~";

    final String text;
    /** Values of the placeholders by index; null for bit strings (not foldable). */
    final List<String> literals;

    private ParserText(String text, List<String> literals) {
        this.text = text;
        this.literals = literals;
    }

    static ParserText render(List<Token> tokens) {
        StringBuilder out = new StringBuilder(tokens.size() * 8);
        List<String> literals = new ArrayList<>();
        Token previous = null;
        for (Token t : tokens) {
            boolean glue = previous != null && (previous.is(TokenType.DOT) || t.is(TokenType.DOT));
            if (previous != null && !glue) {
                out.append(' ');
            }
            switch (t.type()) {
                case STRING, BIT_STRING -> {
                    out.append('\'').append(PLACEHOLDER_PREFIX).append(literals.size()).append('\'');
                    literals.add(t.is(TokenType.STRING) ? t.text() : null);
                }
                case QUOTED_IDENTIFIER -> out.append('"').append(t.text().replace("\"", "\"\"")).append('"');
                case PARAMETER -> out.append('$').append(t.text());
                case NUMBER -> out.append(plainNumber(t.text()));
                default -> out.append(t.text());
            }
            previous = t;
        }
        return new ParserText(out.toString(), literals);
    }

    /** The value behind a placeholder string, or null when the string is not one of ours. */
    String literal(String placeholder) {
        if (!placeholder.startsWith(PLACEHOLDER_PREFIX)) {
            return null;
        }
        try {
            int index = Integer.parseInt(placeholder.substring(PLACEHOLDER_PREFIX.length()));
            return index < literals.size() ? literals.get(index) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String plainNumber(String token) {
        if (token.indexOf('_') < 0 && !(token.length() > 1 && Character.isLetter(token.charAt(1)))) {
            return token;
        }
        BigDecimal value = NumberScanner.value(token);
        return value == null ? token : value.toPlainString();
    }
}
