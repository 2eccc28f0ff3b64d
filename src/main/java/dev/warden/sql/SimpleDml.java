package dev.warden.sql;

import dev.warden.sql.SimpleExpressionReader.Decline;
import java.util.ArrayList;
import java.util.List;

/**
 * The token-only path for the commonest statements, tried before JSqlParser because the gateway analyses
 * every simple-protocol Query and parsing dominates that cost. It reads exactly these shapes:
 * <ul>
 *   <li>{@code SELECT items [FROM table [alias] [joins] [WHERE p] [ORDER BY ...] [LIMIT n] [OFFSET n] [FOR lock]]}
 *       where items are {@code *}, column references, constants and parameters, and joins are
 *       {@code [INNER | LEFT | RIGHT | FULL [OUTER]] JOIN table [alias] ON p}, {@code CROSS JOIN table [alias]}
 *       or {@code , table [alias]};
 *   <li>{@code UPDATE table [alias] SET col = value [, ...] [WHERE p] [RETURNING items]};
 *   <li>{@code INSERT INTO table [(cols)] VALUES (values) [, ...] [ON CONFLICT [(cols)] DO NOTHING |
 *       DO UPDATE SET col = value [, ...] [WHERE p]] [RETURNING items]}, where the values of DO UPDATE may
 *       name {@code excluded.col};
 *   <li>{@code DELETE FROM table [alias] [WHERE p] [RETURNING items]};
 * </ul>
 * with the simple predicates of {@link SimpleExpressionReader}. It must give exactly the analysis the
 * full path would (a differential test holds it to that), so anything else, however harmless it looks,
 * declines and goes to the full path: a wrongly "understood" statement is a security bug, a declined one
 * only costs time.
 */
final class SimpleDml {
    private SimpleDml() {
    }

    /**
     * @param tables every table named, the write target first (the order the full path reports reads in)
     * @param upsert an INSERT whose ON CONFLICT clause updates
     */
    private record Shape(StatementKind kind, List<QualifiedName> tables, WhereShape where, boolean lock, boolean upsert) {
        Shape(StatementKind kind, QualifiedName table, WhereShape where) {
            this(kind, List.of(table), where, false, false);
        }
    }

    /** Fills {@code out} and returns true when the statement is one of the simple shapes; otherwise touches nothing. */
    static boolean analyze(List<Token> tokens, AnalysisBuilder out, NameResolver names) {
        Shape shape;
        SimpleExpressionReader reader = new SimpleExpressionReader(tokens);
        try {
            shape = read(reader);
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
                names.addWrite(out, shape.tables.get(0));
                out.effects.add(shape.kind);
                if (shape.upsert) {
                    // As the full path: ON CONFLICT DO UPDATE updates the conflicting row only, a bounded write.
                    out.effects.add(StatementKind.UPDATE);
                    out.where(WhereShape.PRESENT);
                } else {
                    out.where(shape.where);
                }
                out.kind(shape.kind);
            }
            default -> throw new IllegalStateException("no simple shape of kind " + shape.kind);
        }
        // The full path reports every table its finder sees as read, a write target included.
        List<QualifiedName> called = new ArrayList<>(reader.calls);
        called.sort(QualifiedName.REPORTING_ORDER);
        for (QualifiedName function : called) {
            out.functions.add(names.function(function));
        }
        List<QualifiedName> read = new ArrayList<>(shape.tables);
        read.sort(QualifiedName.REPORTING_ORDER);
        for (QualifiedName table : read) {
            names.addRead(out, table);
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
        r.allowArithmeticInPredicates(true);
        r.accept("distinct");
        r.allowCalls(true);
        selectItem(r);
        while (r.accept(TokenType.COMMA)) {
            selectItem(r);
        }
        r.allowCalls(false);
        if (!r.accept("from")) {
            return new Shape(StatementKind.SELECT, List.of(), WhereShape.NOT_APPLICABLE, false, false);
        }
        List<QualifiedName> tables = new ArrayList<>();
        tables.add(r.relation());
        alias(r);
        for (Join join = join(r); join != Join.NONE; join = join(r)) {
            tables.add(r.relation());
            alias(r);
            if (join == Join.ON_CONDITION) {
                r.expect("on");
                r.where();
            }
        }
        if (r.accept("where")) {
            r.where();
        }
        if (r.accept("group")) {
            r.expect("by");
            do {
                r.orderTerm();
            } while (r.accept(TokenType.COMMA));
        }
        r.allowCalls(true);
        if (r.accept("having")) {
            r.where();
        }
        if (r.accept("order")) {
            r.expect("by");
            orderItem(r);
            while (r.accept(TokenType.COMMA)) {
                orderItem(r);
            }
        }
        r.allowCalls(false);
        if (r.accept("limit")) {
            r.count();
        }
        if (r.accept("offset")) {
            r.count();
        }
        return new Shape(StatementKind.SELECT, tables, WhereShape.NOT_APPLICABLE, lock(r), false);
    }

    private enum Join { NONE, WITHOUT_CONDITION, ON_CONDITION }

    /**
     * Reads a join up to the joined table: {@code ,} or {@code CROSS JOIN} (no condition follows), or
     * {@code [INNER | LEFT | RIGHT | FULL [OUTER]] JOIN} (ON must follow). NATURAL and USING decline.
     */
    private static Join join(SimpleExpressionReader r) {
        if (r.accept(TokenType.COMMA)) {
            return Join.WITHOUT_CONDITION;
        }
        if (r.accept("cross")) {
            r.expect("join");
            return Join.WITHOUT_CONDITION;
        }
        if (r.accept("left") || r.accept("right") || r.accept("full")) {
            r.accept("outer");
            r.expect("join");
            return Join.ON_CONDITION;
        }
        if (r.accept("inner")) {
            r.expect("join");
            return Join.ON_CONDITION;
        }
        return r.accept("join") ? Join.ON_CONDITION : Join.NONE;
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
        assignments(r);
        WhereShape where = r.accept("where") ? r.where() : WhereShape.ABSENT;
        returning(r);
        return new Shape(StatementKind.UPDATE, table, where);
    }

    private static Shape insert(SimpleExpressionReader r) {
        r.expect("into");
        QualifiedName table = r.relation();
        if (r.accept(TokenType.LEFT_PAREN)) {
            columnNames(r);
        }
        r.expect("values");
        do {
            r.expect(TokenType.LEFT_PAREN);
            do {
                r.valueExpression();
            } while (r.accept(TokenType.COMMA));
            r.expect(TokenType.RIGHT_PAREN);
        } while (r.accept(TokenType.COMMA));
        boolean upsert = r.accept("on") && onConflict(r);
        returning(r);
        return new Shape(StatementKind.INSERT, List.of(table), WhereShape.NOT_APPLICABLE, false, upsert);
    }

    /**
     * After ON: {@code CONFLICT [(cols)] DO NOTHING | DO UPDATE SET col = value [, ...] [WHERE p]}; true when it
     * updates. ON CONSTRAINT and index predicates decline.
     */
    private static boolean onConflict(SimpleExpressionReader r) {
        r.expect("conflict");
        if (r.accept(TokenType.LEFT_PAREN)) {
            columnNames(r);
        }
        r.expect("do");
        if (r.accept("nothing")) {
            return false;
        }
        r.expect("update");
        r.expect("set");
        r.allowExcluded(true);
        try {
            assignments(r);
            if (r.accept("where")) {
                r.where();
            }
        } finally {
            r.allowExcluded(false);
        }
        return true;
    }

    /** {@code col = value [, ...]} of SET. */
    private static void assignments(SimpleExpressionReader r) {
        do {
            r.name();
            if (!r.acceptOperator("=")) {
                throw SimpleExpressionReader.decline();
            }
            r.valueExpression();
        } while (r.accept(TokenType.COMMA));
    }

    /** {@code col [, ...])}, after the opening parenthesis. */
    private static void columnNames(SimpleExpressionReader r) {
        do {
            r.name();
        } while (r.accept(TokenType.COMMA));
        r.expect(TokenType.RIGHT_PAREN);
    }

    /** {@code RETURNING items}, items as in a select list. */
    private static void returning(SimpleExpressionReader r) {
        if (r.accept("returning")) {
            selectItem(r);
            while (r.accept(TokenType.COMMA)) {
                selectItem(r);
            }
        }
    }

    private static Shape delete(SimpleExpressionReader r) {
        r.expect("from");
        QualifiedName table = r.relation();
        alias(r);
        WhereShape where = r.accept("where") ? r.where() : WhereShape.ABSENT;
        returning(r);
        return new Shape(StatementKind.DELETE, table, where);
    }
}
