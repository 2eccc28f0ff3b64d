package dev.warden.sql;

import dev.warden.sql.SimpleExpressionReader.Decline;
import java.util.List;

/**
 * The token-only path for the commonest statements, tried before JSqlParser because the gateway analyses
 * every simple-protocol Query and parsing dominates that cost. It reads exactly these shapes:
 * <ul>
 *   <li>{@code SELECT items [FROM table [alias] [WHERE p] [ORDER BY ...] [LIMIT n] [OFFSET n] [FOR lock]]}
 *       where items are {@code *}, column references, constants and parameters;
 *   <li>{@code UPDATE table [alias] SET col = value [, ...] [WHERE p]};
 *   <li>{@code INSERT INTO table [(cols)] VALUES (values) [, ...]};
 *   <li>{@code DELETE FROM table [alias] [WHERE p]};
 * </ul>
 * with the simple predicates of {@link SimpleExpressionReader}. It must give exactly the analysis the
 * full path would (a differential test holds it to that), so anything else, however harmless it looks,
 * declines and goes to the full path: a wrongly "understood" statement is a security bug, a declined one
 * only costs time.
 */
final class SimpleDml {
    private SimpleDml() {
    }

    private record Shape(StatementKind kind, QualifiedName table, WhereShape where, boolean lock) {
    }

    /** Fills {@code out} and returns true when the statement is one of the simple shapes; otherwise touches nothing. */
    static boolean analyze(List<Token> tokens, AnalysisBuilder out, NameResolver names) {
        Shape shape;
        try {
            shape = read(new SimpleExpressionReader(tokens));
        } catch (Decline e) {
            return false;
        }
        switch (shape.kind) {
            case SELECT -> {
                out.effects.add(StatementKind.SELECT);
                out.kind(StatementKind.SELECT);
                if (shape.lock) {
                    out.effects.add(StatementKind.LOCK);
                }
            }
            case INSERT, UPDATE, DELETE -> {
                names.addWrite(out, shape.table);
                out.effects.add(shape.kind);
                out.where(shape.where);
                out.kind(shape.kind);
            }
            default -> throw new IllegalStateException("no simple shape of kind " + shape.kind);
        }
        // The full path reports every table its finder sees as read, a write target included.
        if (shape.table != null) {
            names.addRead(out, shape.table);
        }
        return true;
    }

    private static Shape read(SimpleExpressionReader r) {
        Shape shape;
        if (r.accept("select")) {
            shape = select(r);
        } else if (r.accept("update")) {
            shape = update(r);
        } else if (r.accept("insert")) {
            shape = insert(r);
        } else if (r.accept("delete")) {
            shape = delete(r);
        } else {
            throw SimpleExpressionReader.decline();
        }
        if (!r.atEnd()) {
            throw SimpleExpressionReader.decline();
        }
        return shape;
    }

    private static Shape select(SimpleExpressionReader r) {
        selectItem(r);
        while (r.accept(TokenType.COMMA)) {
            selectItem(r);
        }
        if (!r.accept("from")) {
            return new Shape(StatementKind.SELECT, null, WhereShape.NOT_APPLICABLE, false);
        }
        QualifiedName table = r.relation();
        alias(r);
        if (r.accept("where")) {
            r.where();
        }
        if (r.accept("order")) {
            r.expect("by");
            orderItem(r);
            while (r.accept(TokenType.COMMA)) {
                orderItem(r);
            }
        }
        if (r.accept("limit")) {
            r.count();
        }
        if (r.accept("offset")) {
            r.count();
        }
        return new Shape(StatementKind.SELECT, table, WhereShape.NOT_APPLICABLE, lock(r));
    }

    private static void selectItem(SimpleExpressionReader r) {
        if (r.acceptOperator("*")) {
            return;
        }
        r.term(false);
        if (r.accept("as")) {
            r.name();
        }
    }

    private static void orderItem(SimpleExpressionReader r) {
        r.orderTerm();
        if (!r.accept("asc")) {
            r.accept("desc");
        }
        if (r.accept("nulls") && !r.accept("first")) {
            r.expect("last");
        }
    }

    /** {@code FOR UPDATE | NO KEY UPDATE | SHARE | KEY SHARE [NOWAIT | SKIP LOCKED]}, without OF. */
    private static boolean lock(SimpleExpressionReader r) {
        if (!r.accept("for")) {
            return false;
        }
        if (r.accept("no")) {
            r.expect("key");
            r.expect("update");
        } else if (r.accept("key")) {
            r.expect("share");
        } else if (!r.accept("update")) {
            r.expect("share");
        }
        if (r.accept("skip")) {
            r.expect("locked");
        } else {
            r.accept("nowait");
        }
        return true;
    }

    /** {@code [AS] alias}: every word that may follow a table here is reserved, so a plain name is an alias. */
    private static void alias(SimpleExpressionReader r) {
        if (r.accept("as") || r.peekName()) {
            r.name();
        }
    }

    private static Shape update(SimpleExpressionReader r) {
        QualifiedName table = r.relation();
        alias(r);
        r.expect("set");
        do {
            r.name();
            if (!r.acceptOperator("=")) {
                throw SimpleExpressionReader.decline();
            }
            r.valueExpression();
        } while (r.accept(TokenType.COMMA));
        WhereShape where = r.accept("where") ? r.where() : WhereShape.ABSENT;
        return new Shape(StatementKind.UPDATE, table, where, false);
    }

    private static Shape insert(SimpleExpressionReader r) {
        r.expect("into");
        QualifiedName table = r.relation();
        if (r.accept(TokenType.LEFT_PAREN)) {
            do {
                r.name();
            } while (r.accept(TokenType.COMMA));
            r.expect(TokenType.RIGHT_PAREN);
        }
        r.expect("values");
        do {
            r.expect(TokenType.LEFT_PAREN);
            do {
                r.valueExpression();
            } while (r.accept(TokenType.COMMA));
            r.expect(TokenType.RIGHT_PAREN);
        } while (r.accept(TokenType.COMMA));
        return new Shape(StatementKind.INSERT, table, WhereShape.NOT_APPLICABLE, false);
    }

    private static Shape delete(SimpleExpressionReader r) {
        r.expect("from");
        QualifiedName table = r.relation();
        alias(r);
        WhereShape where = r.accept("where") ? r.where() : WhereShape.ABSENT;
        return new Shape(StatementKind.DELETE, table, where, false);
    }
}
