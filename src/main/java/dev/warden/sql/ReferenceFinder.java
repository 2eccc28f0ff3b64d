package dev.warden.sql;

import java.util.LinkedHashSet;
import java.util.Set;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * JSqlParser's table finder (which already skips CTE names and walks subqueries, joins and
 * expressions) extended to record every function call and the setting names of
 * {@code set_config(...)}.
 */
final class ReferenceFinder extends TablesNamesFinder<Void> {
    private final ParserText source;
    final Set<QualifiedName> functions = new LinkedHashSet<>();
    final Set<String> settings = new LinkedHashSet<>();
    String problem;

    ReferenceFinder(ParserText source) {
        this.source = source;
        init(false);
    }

    @Override
    public <S> Void visit(Function function, S context) {
        QualifiedName name = NameResolver.fromParts(function.getMultipartName());
        if (name == null) {
            problem = "function call without a name";
        } else {
            functions.add(name);
            if (name.name().equals("set_config") && (name.schema() == null || name.schema().equals("pg_catalog"))) {
                recordSetConfig(function);
            }
        }
        return super.visit(function, context);
    }

    /** set_config('role', ...) is SET ROLE in disguise; a setting name we cannot see is not understood. */
    private void recordSetConfig(Function function) {
        if (function.getParameters() == null || function.getParameters().isEmpty()) {
            return;
        }
        Expression first = (Expression) function.getParameters().get(0);
        String value = first instanceof StringValue s ? source.literal(s.getValue()) : null;
        if (value == null) {
            problem = "set_config with a setting name that is not a constant";
        } else {
            settings.add(value.trim().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
