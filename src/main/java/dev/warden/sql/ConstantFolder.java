package dev.warden.sql;

import java.math.BigDecimal;
import java.util.Locale;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.schema.Column;

/**
 * Folds a WHERE clause only as far as the outcome is certain, with SQL's three-valued logic.
 * Anything that depends on a row, a parameter, a function or a subquery is {@link #UNKNOWN}; only
 * {@code OR} with a true arm (and {@code AND} with a false arm) ignores its unknown side. Casts to
 * boolean, {@code IN} lists and {@code BETWEEN} of constants are folded: {@code WHERE true::boolean}
 * or {@code WHERE 1 IN (1)} is as unbounded as {@code WHERE true}.
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
        if (e instanceof CastExpression cast) {
            return castToBoolean(cast);
        }
        if (e instanceof InExpression in) {
            return in(in);
        }
        if (e instanceof Between between) {
            Object value = fold(between.getLeftExpression());
            Object within = not(or(not(compare(">=", value, fold(between.getBetweenExpressionStart()))),
                    not(compare("<=", value, fold(between.getBetweenExpressionEnd())))));
            return between.isNot() ? not(within) : within;
        }
        return UNKNOWN;
    }

    /** {@code x IN (a, b, ...)} is {@code x = a OR x = b ...}; a subquery is not folded. */
    private Object in(InExpression in) {
        if (!(in.getRightExpression() instanceof ExpressionList<?> list) || list.isEmpty()) {
            return UNKNOWN;
        }
        Object left = fold(in.getLeftExpression());
        Object any = Boolean.FALSE;
        for (Object item : list) {
            any = or(any, compare("=", left, fold((Expression) item)));
        }
        return in.isNot() ? not(any) : any;
    }

    /** A constant cast to boolean, with PostgreSQL's boolean input rules; casts to other types are not folded. */
    private Object castToBoolean(CastExpression cast) {
        String type = cast.getColDataType() == null ? "" : cast.getColDataType().getDataType().toLowerCase(Locale.ROOT);
        if (!type.equals("bool") && !type.equals("boolean") && !type.equals("pg_catalog.bool")) {
            return UNKNOWN;
        }
        Object value = fold(cast.getLeftExpression());
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof BigDecimal n) {
            // int4 -> bool: zero is false, anything else true; other numeric types do not cast.
            return n.stripTrailingZeros().scale() <= 0 ? n.signum() != 0 : UNKNOWN;
        }
        if (value instanceof String text) {
            return booleanInput(text);
        }
        return UNKNOWN;
    }

    /** PostgreSQL's boolin: trimmed, case-insensitive, unambiguous prefixes of true/false/yes/no, on/off, 1/0. */
    static Object booleanInput(String text) {
        String v = text.strip().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return UNKNOWN;
        }
        if ("true".startsWith(v) || "yes".startsWith(v) || (v.length() >= 2 && "on".startsWith(v)) || v.equals("1")) {
            return Boolean.TRUE;
        }
        if ("false".startsWith(v) || "no".startsWith(v) || (v.length() >= 2 && "off".startsWith(v)) || v.equals("0")) {
            return Boolean.FALSE;
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
