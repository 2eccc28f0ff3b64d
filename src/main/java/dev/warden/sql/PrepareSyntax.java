package dev.warden.sql;

import java.util.Optional;

/** {@code PREPARE name [(type, ...)] AS statement}. */
record PrepareSyntax(String name, String body, int bodyStart) {

    /** Reads from the start of a PREPARE statement; empty when it is not one (or is PREPARE TRANSACTION). */
    static Optional<PrepareSyntax> parse(TokenReader reader, String text) {
        if (!reader.accept("prepare") || reader.peekWord("transaction")) {
            return Optional.empty();
        }
        Token name = reader.peek();
        if (name == null || !name.isName()) {
            return Optional.empty();
        }
        reader.next();
        if (!reader.skipParentheses() || !reader.accept("as") || reader.atEnd()) {
            return Optional.empty();
        }
        int bodyStart = reader.position();
        Token first = reader.peek();
        return Optional.of(new PrepareSyntax(name.text(), text.substring(first.start()), bodyStart));
    }
}
