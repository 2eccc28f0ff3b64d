package dev.warden.sql;

import java.util.List;

/**
 * {@code COPY table [(cols)] FROM|TO STDIN|STDOUT|'file'|PROGRAM 'cmd' ...} and
 * {@code COPY (query) TO ...}. psql's {@code \copy} reaches the server as COPY ... FROM STDIN / TO STDOUT.
 */
final class CopyAnalyzer {
    private CopyAnalyzer() {
    }

    static void analyze(TokenReader reader, AnalysisBuilder out, NameResolver names, NestedStatements nested) {
        QualifiedName table = null;
        if (reader.peek() != null && reader.peek().is(TokenType.LEFT_PAREN)) {
            List<Token> query = innerTokens(reader);
            if (query == null) {
                out.fail("COPY with an unbalanced query");
                return;
            }
            out.merge(nested.analyzeTokens(query));
        } else {
            table = reader.name();
            if (table == null) {
                out.fail("COPY without a table or query");
                return;
            }
            if (reader.peek() != null && reader.peek().is(TokenType.LEFT_PAREN)) {
                reader.skipParentheses();
            }
        }
        CopySpec.Direction direction;
        if (reader.accept("from")) {
            direction = CopySpec.Direction.FROM;
        } else if (reader.accept("to")) {
            direction = CopySpec.Direction.TO;
        } else {
            out.fail("COPY without FROM or TO");
            return;
        }
        CopySpec.Endpoint endpoint;
        String location = null;
        if (reader.accept("stdin")) {
            endpoint = CopySpec.Endpoint.STDIN;
        } else if (reader.accept("stdout")) {
            endpoint = CopySpec.Endpoint.STDOUT;
        } else if (reader.accept("program")) {
            endpoint = CopySpec.Endpoint.PROGRAM;
            location = stringOrNull(reader);
        } else {
            endpoint = CopySpec.Endpoint.FILE;
            location = stringOrNull(reader);
        }
        if ((endpoint == CopySpec.Endpoint.FILE || endpoint == CopySpec.Endpoint.PROGRAM) && location == null) {
            out.fail("COPY to or from a file or program whose name is not a constant");
        }
        if (endpoint == CopySpec.Endpoint.STDIN && direction == CopySpec.Direction.TO
                || endpoint == CopySpec.Endpoint.STDOUT && direction == CopySpec.Direction.FROM) {
            out.fail("COPY direction does not match STDIN/STDOUT");
        }
        StatementKind kind = direction == CopySpec.Direction.FROM ? StatementKind.COPY_FROM : StatementKind.COPY_TO;
        out.kind(kind);
        out.copy = new CopySpec(direction, endpoint, location);
        if (table != null) {
            if (direction == CopySpec.Direction.FROM) {
                names.addWrite(out, table);
                out.effects.add(StatementKind.INSERT);
            } else {
                names.addRead(out, table);
            }
        }
        // A WHERE clause of COPY FROM can call functions; they would need the expression parser.
        if (reader.containsWord("where")) {
            out.fail("COPY ... WHERE is not analysed");
        }
    }

    private static String stringOrNull(TokenReader reader) {
        Token t = reader.peek();
        if (t != null && t.is(TokenType.STRING)) {
            reader.next();
            return t.text();
        }
        return null;
    }

    /** The tokens inside the parenthesised group at the reader (consumed), or null if empty or unbalanced. */
    static List<Token> innerTokens(TokenReader reader) {
        int open = reader.position();
        boolean closed = reader.skipParentheses();
        int close = reader.position();
        if (!closed || close - open < 3) {
            return null;
        }
        return reader.slice(open + 1, close - 1);
    }
}
