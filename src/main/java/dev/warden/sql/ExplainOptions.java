package dev.warden.sql;

/** EXPLAIN's options: {@code EXPLAIN ANALYZE VERBOSE ...} or {@code EXPLAIN (ANALYZE [on|true|1], ...)}. */
final class ExplainOptions {
    private ExplainOptions() {
    }

    /** Consumes the options; true when the statement will be executed (ANALYZE), or when unsure. */
    static boolean readAnalyze(TokenReader reader) {
        if (reader.peek() != null && reader.peek().is(TokenType.LEFT_PAREN)
                && reader.peek(1) != null && reader.peek(1).is(TokenType.IDENTIFIER)
                && !isStatementStart(reader.peek(1))) {
            return parenthesised(reader);
        }
        boolean analyze = false;
        while (reader.peek() != null && (reader.peekWord("analyze") || reader.peekWord("analyse") || reader.peekWord("verbose"))) {
            analyze |= !reader.next().isWord("verbose");
        }
        return analyze;
    }

    private static boolean parenthesised(TokenReader reader) {
        reader.next();
        boolean analyze = false;
        while (!reader.atEnd()) {
            Token option = reader.next();
            boolean isAnalyze = option.isWord("analyze") || option.isWord("analyse");
            Token value = reader.peek();
            if (value != null && !value.is(TokenType.COMMA) && !value.is(TokenType.RIGHT_PAREN)) {
                reader.next();
                if (isAnalyze) {
                    Boolean on = SqlSessionState.booleanValue(java.util.List.of(value));
                    analyze |= on == null || on;
                }
            } else if (isAnalyze) {
                analyze = true;
            }
            if (reader.accept(TokenType.RIGHT_PAREN)) {
                return analyze;
            }
            if (!reader.accept(TokenType.COMMA)) {
                return true;
            }
        }
        return true;
    }

    private static boolean isStatementStart(Token t) {
        return t.isWord("select") || t.isWord("with") || t.isWord("values") || t.isWord("table");
    }
}
