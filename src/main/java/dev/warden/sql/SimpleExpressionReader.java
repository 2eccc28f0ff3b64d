package dev.warden.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A cursor for {@link SimpleDml}: reads the few expression shapes the token-only path understands and
 * folds WHERE clauses with {@link ConstantFolder}'s three-valued logic. Anything else throws
 * {@link Decline}; declining is always safe because the statement then goes to the full parser.
 */
final class SimpleExpressionReader {
    /** Thrown (preallocated, no stack trace) when a statement leaves the simple shapes. */
    static final class Decline extends RuntimeException {
        private static final Decline INSTANCE = new Decline();

        private Decline() {
            super(null, null, false, false);
        }
    }

    private static final int MAX_DEPTH = 16;

    /**
     * Words never read as a column, table or alias name: PostgreSQL's reserved, type/function-name and
     * column-name keywords, JSqlParser 5.4's reserved keywords, and words with a meaning the full path
     * gives them by position (a DML word after a parenthesis, {@code CURRENT OF}, {@code ONLY}, lock
     * clauses, SQL value functions such as {@code current_user} that are calls without parentheses).
     */
    private static final Set<String> NOT_A_NAME = Set.copyOf(List.of(
            // PostgreSQL reserved
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast", "check",
            "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role", "current_time",
            "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except",
            "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into",
            "lateral", "leading", "limit", "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or", "order",
            "placing", "primary", "references", "returning", "select", "session_user", "some", "symmetric", "system_user",
            "table", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where",
            "window", "with",
            // PostgreSQL type/function-name and column-name keywords
            "authorization", "binary", "collation", "concurrently", "cross", "current_schema", "freeze", "full", "ilike",
            "inner", "is", "isnull", "join", "left", "like", "natural", "notnull", "outer", "overlaps", "right", "similar",
            "tablesample", "verbose", "between", "bigint", "bit", "boolean", "char", "character", "coalesce", "dec",
            "decimal", "exists", "extract", "float", "greatest", "grouping", "inout", "int", "integer", "interval", "least",
            "national", "nchar", "none", "normalize", "nullif", "numeric", "out", "overlay", "position", "precision", "real",
            "row", "setof", "smallint", "substring", "time", "timestamp", "treat", "trim", "values", "varchar",
            // JSqlParser 5.4 reserved (not already listed)
            "absent", "at_sign", "at_v", "casewhen", "comma", "connect", "connect_by_root", "csv", "current",
            "date_literal", "datetimeliteral", "distinctrow", "errors", "excludes", "extend", "fbv", "file", "final",
            "force", "global", "if", "ignore", "iif", "import", "includes", "minus", "nocycle", "optimize", "output",
            "pivot", "preferring", "prewhere", "prior", "procedure", "public", "qualify", "returns", "sample", "script",
            "semi", "set", "settings", "similar_to", "sql_cache", "sql_calc_found_rows", "sql_no_cache", "start",
            "statement", "straight", "tables", "top", "unbounded", "unknown", "unpivot", "use", "value", "verify", "xor",
            // Meaning by position in the full path, or clause words of the simple shapes
            "insert", "update", "delete", "merge", "of", "nulls", "first", "last", "nowait", "skip", "locked", "key",
            "share", "no", "rows", "next", "only", "lock", "date", "json", "xml", "uescape", "collate", "escape",
            "overriding", "conflict", "excluded", "filter", "over", "within", "ordinality", "recursive", "materialized"));

    private static final Set<String> COMPARISONS = Set.of("=", "<>", "!=", "<", ">", "<=", ">=");
    private static final Set<String> ARITHMETIC = Set.of("+", "-", "*", "/");

    private final List<Token> tokens;
    private int index;
    private int depth;
    /** In ON CONFLICT DO UPDATE, where {@code excluded.col} names the row proposed for insertion. */
    private boolean excludedAllowed;
    /**
     * In a SELECT, whose analysis reports no WHERE shape, so its predicates' operands may be arithmetic
     * ({@code id BETWEEN $1 AND $1 + 999}): their values are never needed. In UPDATE and DELETE, where
     * folding decides whether a WHERE bounds the write, they decline and the full path folds them.
     */
    private boolean arithmeticInPredicates;
    /** In select lists, ORDER BY and HAVING, where a call of one of {@link #PLAIN_FUNCTIONS} may stand for a term. */
    private boolean callsAllowed;
    /** The functions called so far, as written (unqualified). */
    final List<QualifiedName> calls = new ArrayList<>(2);

    /**
     * The functions the token-only path reads calls of: common aggregates and scalar functions that
     * read no data of their own and that the full path gives no special meaning (unlike {@code set_config}).
     * Any other call, a schema-qualified one, or one with a FILTER, OVER or WITHIN GROUP clause, declines.
     */
    private static final Set<String> PLAIN_FUNCTIONS = Set.of("count", "sum", "avg", "min", "max", "lower", "upper",
            "length", "char_length", "abs", "round", "floor", "ceil", "now", "date_trunc");

    SimpleExpressionReader(List<Token> tokens) {
        this.tokens = tokens;
    }

    static Decline decline() {
        return Decline.INSTANCE;
    }

    boolean atEnd() {
        return index >= tokens.size();
    }

    Token peek() {
        return index < tokens.size() ? tokens.get(index) : null;
    }

    boolean peekWord(String word) {
        Token t = peek();
        return t != null && t.isWord(word);
    }

    boolean accept(String word) {
        if (peekWord(word)) {
            index++;
            return true;
        }
        return false;
    }

    void expect(String word) {
        if (!accept(word)) {
            throw decline();
        }
    }

    boolean accept(TokenType type) {
        Token t = peek();
        if (t != null && t.is(type)) {
            index++;
            return true;
        }
        return false;
    }

    void expect(TokenType type) {
        if (!accept(type)) {
            throw decline();
        }
    }

    boolean acceptOperator(String text) {
        Token t = peek();
        if (t != null && t.is(TokenType.OPERATOR) && t.text().equals(text)) {
            index++;
            return true;
        }
        return false;
    }

    /** An unquoted identifier that is no keyword; a quoted one, or a word with a meaning, declines. */
    String name() {
        Token t = peek();
        if (!isPlainName(t)) {
            throw decline();
        }
        index++;
        return t.text();
    }

    boolean peekName() {
        return isPlainName(peek());
    }

    /**
     * Only {@code [a-z_][a-z0-9_]*}: PostgreSQL also allows {@code $} and non-ASCII letters in names, but
     * whether JSqlParser reads them the same is not something this path should have to know.
     */
    private static boolean isPlainName(Token t) {
        if (t == null || !t.is(TokenType.IDENTIFIER) || NOT_A_NAME.contains(t.text())) {
            return false;
        }
        String text = t.text();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c == '_' || (i > 0 && c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /** {@code name} or {@code schema.name}; a name followed by a parenthesis is a call and declines. */
    QualifiedName relation() {
        String first = name();
        if (accept(TokenType.DOT)) {
            String second = name();
            notFollowedBy(TokenType.DOT);
            return new QualifiedName(first, second);
        }
        return new QualifiedName(null, first);
    }

    private void notFollowedBy(TokenType type) {
        Token t = peek();
        if (t != null && t.is(type)) {
            throw decline();
        }
    }

    void allowExcluded(boolean allowed) {
        excludedAllowed = allowed;
    }

    void allowArithmeticInPredicates(boolean allowed) {
        arithmeticInPredicates = allowed;
    }

    void allowCalls(boolean allowed) {
        callsAllowed = allowed;
    }

    /**
     * {@code f(*)}, {@code f()} or {@code f(value, ...)} for a plain function, when calls are allowed and the
     * next tokens are one; returns false (reading nothing) otherwise.
     */
    private boolean call() {
        Token t = peek();
        if (!callsAllowed || t == null || !t.is(TokenType.IDENTIFIER) || !PLAIN_FUNCTIONS.contains(t.text())
                || index + 1 >= tokens.size() || !tokens.get(index + 1).is(TokenType.LEFT_PAREN)) {
            return false;
        }
        if (++depth > MAX_DEPTH) {
            throw decline();
        }
        index += 2;
        calls.add(new QualifiedName(null, t.text()));
        if (!acceptOperator("*") && !peekType(TokenType.RIGHT_PAREN)) {
            do {
                valueExpression();
            } while (accept(TokenType.COMMA));
        }
        expect(TokenType.RIGHT_PAREN);
        depth--;
        return true;
    }

    private boolean peekType(TokenType type) {
        Token t = peek();
        return t != null && t.is(type);
    }

    /** {@code col} or {@code alias.col}; never a call, subscript or three-part name. */
    private void columnReference() {
        if (excludedAllowed && peekWord("excluded") && index + 1 < tokens.size() && tokens.get(index + 1).is(TokenType.DOT)) {
            index++;
        } else {
            name();
        }
        if (accept(TokenType.DOT)) {
            name();
        }
        Token t = peek();
        if (t != null && (t.is(TokenType.LEFT_PAREN) || t.is(TokenType.DOT) || t.is(TokenType.LEFT_BRACKET))) {
            throw decline();
        }
    }

    /**
     * One operand: a column reference, {@code $n}, a string, an optionally signed plain number, TRUE, FALSE
     * or NULL. Returns its folded value: a Boolean, null (SQL NULL), a BigDecimal, a String, or
     * {@link ConstantFolder#UNKNOWN}. With {@code integersOnly} (in WHERE) a decimal declines, because the
     * full path folds decimals through {@code double} and we would rather not imitate that.
     */
    Object term(boolean integersOnly) {
        Token t = peek();
        if (t == null) {
            throw decline();
        }
        if (t.is(TokenType.OPERATOR) && (t.text().equals("-") || t.text().equals("+"))) {
            index++;
            Token number = peek();
            if (number == null || !number.is(TokenType.NUMBER)) {
                throw decline();
            }
            BigDecimal value = number(integersOnly);
            return t.text().equals("-") ? value.negate() : value;
        }
        switch (t.type()) {
            case NUMBER -> {
                return number(integersOnly);
            }
            case STRING -> {
                index++;
                return t.text();
            }
            case PARAMETER -> {
                index++;
                return ConstantFolder.UNKNOWN;
            }
            case IDENTIFIER -> {
                if (accept("true")) {
                    return Boolean.TRUE;
                }
                if (accept("false")) {
                    return Boolean.FALSE;
                }
                if (accept("null")) {
                    return null;
                }
                if (call()) {
                    return ConstantFolder.UNKNOWN;
                }
                columnReference();
                return ConstantFolder.UNKNOWN;
            }
            default -> throw decline();
        }
    }

    private BigDecimal number(boolean integersOnly) {
        String text = tokens.get(index++).text();
        boolean dot = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.' && !dot && !integersOnly && i > 0 && i < text.length() - 1) {
                dot = true;
            } else if (c < '0' || c > '9') {
                throw decline();
            }
        }
        return new BigDecimal(text);
    }

    /** A LIMIT or OFFSET count: a plain integer or a parameter. */
    void count() {
        Token t = peek();
        if (t != null && t.is(TokenType.PARAMETER)) {
            index++;
        } else if (t != null && t.is(TokenType.NUMBER)) {
            number(true);
        } else {
            throw decline();
        }
    }

    /** An ORDER BY key: a column reference or an output column number. */
    void orderTerm() {
        Token t = peek();
        if (t != null && t.is(TokenType.NUMBER)) {
            number(true);
        } else if (!call()) {
            columnReference();
        }
    }

    /** A value for SET or VALUES: terms joined by {@code + - * /}; its value is never needed. */
    void valueExpression() {
        term(false);
        while (acceptArithmetic()) {
            term(false);
        }
    }

    private boolean acceptArithmetic() {
        Token t = peek();
        if (t != null && t.is(TokenType.OPERATOR) && ARITHMETIC.contains(t.text())) {
            index++;
            return true;
        }
        return false;
    }

    /** A WHERE clause as far as the simple predicate grammar goes, folded. */
    WhereShape where() {
        return orExpression() == Boolean.TRUE ? WhereShape.CONSTANT_TRUE : WhereShape.PRESENT;
    }

    private Object orExpression() {
        Object value = andExpression();
        while (accept("or")) {
            value = ConstantFolder.or(value, andExpression());
        }
        return value;
    }

    private Object andExpression() {
        Object value = notExpression();
        while (accept("and")) {
            value = ConstantFolder.and(value, notExpression());
        }
        return value;
    }

    private Object notExpression() {
        if (++depth > MAX_DEPTH) {
            throw decline();
        }
        try {
            if (accept("not")) {
                return ConstantFolder.not(notExpression());
            }
            return predicate();
        } finally {
            depth--;
        }
    }

    private Object predicate() {
        if (accept(TokenType.LEFT_PAREN)) {
            Object value = orExpression();
            expect(TokenType.RIGHT_PAREN);
            return value;
        }
        Object left = operand();
        Token t = peek();
        if (t == null) {
            return left;
        }
        if (t.is(TokenType.OPERATOR) && COMPARISONS.contains(t.text())) {
            index++;
            return ConstantFolder.compare(t.text(), left, operand());
        }
        if (accept("is")) {
            boolean not = accept("not");
            expect("null");
            if (left == ConstantFolder.UNKNOWN) {
                return ConstantFolder.UNKNOWN;
            }
            return (left == null) != not;
        }
        boolean negated = accept("not");
        // Folded exactly as the full path folds them (a constant BETWEEN or IN can make a WHERE
        // always true, e.g. WHERE 1 IN (1)): x BETWEEN a AND b is x >= a AND x <= b, and
        // x IN (a, b) is x = a OR x = b.
        if (accept("between")) {
            Object low = operand();
            expect("and");
            Object high = operand();
            Object within = ConstantFolder.not(ConstantFolder.or(
                    ConstantFolder.not(ConstantFolder.compare(">=", left, low)),
                    ConstantFolder.not(ConstantFolder.compare("<=", left, high))));
            return negated ? ConstantFolder.not(within) : within;
        }
        if (accept("in")) {
            expect(TokenType.LEFT_PAREN);
            Object any = ConstantFolder.or(Boolean.FALSE, ConstantFolder.compare("=", left, literal()));
            while (accept(TokenType.COMMA)) {
                any = ConstantFolder.or(any, ConstantFolder.compare("=", left, literal()));
            }
            expect(TokenType.RIGHT_PAREN);
            return negated ? ConstantFolder.not(any) : any;
        }
        if (negated) {
            throw decline();
        }
        return left;
    }

    /** A predicate's operand: a term, or in a SELECT terms joined by {@code + - * /}, whose value is unknown. */
    private Object operand() {
        Object value = term(true);
        while (arithmeticInPredicates && acceptArithmetic()) {
            term(true);
            value = ConstantFolder.UNKNOWN;
        }
        return value;
    }

    /** A list element of IN: a constant or parameter, never a column or subquery; returns its folded value. */
    private Object literal() {
        Token t = peek();
        if (t != null && t.is(TokenType.IDENTIFIER) && !t.isWord("true") && !t.isWord("false") && !t.isWord("null")) {
            throw decline();
        }
        return term(true);
    }
}
