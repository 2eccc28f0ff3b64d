package dev.warden.sql;

import java.math.BigDecimal;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.schema.Column;

/**
 * Folds a WHERE clause only as far as the outcome is certain, with SQL's three-valued logic.
 * Anything that depends on a row, a parameter, a function or a cast is {@link #UNKNOWN}; only
 * {@code OR} with a true arm (and {@code AND} with a false arm) ignores its unknown side.
 */
final class ConstantFolder {
    /** Marks "not a constant"; distinct from SQL NULL (Java null). */
    static final Object UNKNOWN = new Object();

    private final ParserText source;

    ConstantFolder(ParserText source) {
        this.source = source;
    }

    boolean isConstantTrue(Expression where) {
        return fold(where) == Boolean.TRUE;
    }

    Object fold(Expression e) {
        if (e instanceof ExpressionList<?> list) {
            return list.size() == 1 ? fold((Expression) list.get(0)) : UNKNOWN;
        }
        if (e instanceof BooleanValue b) {
            return b.getValue();
        }
        if (e instanceof Column c && c.getTable() == null) {
            // An unquoted TRUE/FALSE may reach us as a column reference; a quoted "true" keeps its quotes.
            String name = c.getColumnName();
            if (name.equals("true") || name.equals("false")) {
                return Boolean.valueOf(name);
            }
            return UNKNOWN;
        }
        if (e instanceof LongValue l) {
            return new BigDecimal(l.getStringValue());
        }
        if (e instanceof DoubleValue d) {
            return BigDecimal.valueOf(d.getValue());
        }
        if (e instanceof StringValue s) {
            String value = source.literal(s.getValue());
            return value == null ? UNKNOWN : value;
        }
        if (e instanceof NullValue) {
            return null;
        }
        if (e instanceof SignedExpression s) {
            Object inner = fold(s.getExpression());
            if (inner instanceof BigDecimal n) {
                return s.getSign() == '-' ? n.negate() : n;
            }
            return UNKNOWN;
        }
        if (e instanceof OrExpression or) {
            return or(fold(or.getLeftExpression()), fold(or.getRightExpression()));
        }
        if (e instanceof AndExpression and) {
            return and(fold(and.getLeftExpression()), fold(and.getRightExpression()));
        }
        if (e instanceof NotExpression not) {
            return not(fold(not.getExpression()));
        }
        if (e instanceof IsNullExpression isNull) {
            Object inner = fold(isNull.getLeftExpression());
            if (inner == UNKNOWN) {
                return UNKNOWN;
            }
            return (inner == null) != isNull.isNot();
        }
        if (e instanceof IsBooleanExpression isBoolean) {
            Object inner = fold(isBoolean.getLeftExpression());
            if (inner == UNKNOWN || (inner != null && !(inner instanceof Boolean))) {
                return UNKNOWN;
            }
            boolean matches = inner != null && inner.equals(isBoolean.isTrue());
            return matches != isBoolean.isNot();
        }
        if (e instanceof ComparisonOperator comparison) {
            return compare(comparison.getStringExpression(), fold(comparison.getLeftExpression()),
                    fold(comparison.getRightExpression()));
        }
        return UNKNOWN;
    }

    static Object or(Object left, Object right) {
        if (left == Boolean.TRUE || right == Boolean.TRUE) {
            return Boolean.TRUE;
        }
        if (left == UNKNOWN || right == UNKNOWN || !isBooleanOrNull(left) || !isBooleanOrNull(right)) {
            return UNKNOWN;
        }
        if (left == null || right == null) {
            return null;
        }
        return Boolean.FALSE;
    }

    static Object and(Object left, Object right) {
        return not(or(not(left), not(right)));
    }

    static Object not(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean b) {
            return !b;
        }
        return UNKNOWN;
    }

    private static boolean isBooleanOrNull(Object value) {
        return value == null || value instanceof Boolean;
    }

    static Object compare(String operator, Object left, Object right) {
        if (left == UNKNOWN || right == UNKNOWN) {
            return UNKNOWN;
        }
        if (left == null || right == null) {
            return null;
        }
        if (left instanceof String s && right instanceof BigDecimal) {
            left = number(s);
        } else if (right instanceof String s && left instanceof BigDecimal) {
            right = number(s);
        }
        if (left == UNKNOWN || right == UNKNOWN) {
            return UNKNOWN;
        }
        if (left instanceof BigDecimal a && right instanceof BigDecimal b) {
            int c = a.compareTo(b);
            return switch (operator) {
                case "=" -> c == 0;
                case "<>", "!=" -> c != 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                default -> UNKNOWN;
            };
        }
        if (left instanceof String a && right instanceof String b && operator.equals("=") && a.equals(b)) {
            // Equal strings are equal under every collation; unequal ones may not be unequal under a
            // nondeterministic collation, and ordering depends on the collation: not folded.
            return Boolean.TRUE;
        }
        if (left instanceof Boolean a && right instanceof Boolean b && (operator.equals("=") || operator.equals("<>"))) {
            return a.equals(b) == operator.equals("=");
        }
        return UNKNOWN;
    }

    private static Object number(String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
    }
}
