package dev.warden.sql;

import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.ConflictActionType;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.merge.MergeDelete;
import net.sf.jsqlparser.statement.merge.MergeInsert;
import net.sf.jsqlparser.statement.merge.MergeOperation;
import net.sf.jsqlparser.statement.merge.MergeUpdate;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.Update;

/**
 * Queries and data-modifying statements (SELECT, VALUES, TABLE, WITH, INSERT, UPDATE, DELETE, MERGE)
 * through JSqlParser, fed with {@link ParserText} rendered from our own tokens.
 */
final class DmlAnalyzer {
    private DmlAnalyzer() {
    }

    static void analyze(List<Token> original, AnalysisBuilder out, NameResolver names) {
        boolean currentOf = false;
        List<Token> tokens = new ArrayList<>(original.size());
        for (int i = 0; i < original.size(); i++) {
            Token t = original.get(i);
            if (t.isWord("where") && i + 3 < original.size() + 0 && original.get(i + 1).isWord("current")
                    && original.get(i + 2).isWord("of") && original.get(i + 3).isName()) {
                // WHERE CURRENT OF touches exactly the cursor's row: bounded. JSqlParser does not know it.
                currentOf = true;
                i += 3;
                continue;
            }
            if (t.isWord("only") && !tokens.isEmpty() && precedesRelation(tokens.get(tokens.size() - 1))) {
                // ONLY narrows to the parent table (no inheritance children); the named table is the same.
                continue;
            }
            tokens.add(t);
        }
        ParserText text = ParserText.render(tokens);
        Statement statement;
        try {
            statement = parse(text.text);
        } catch (Exception | Error e) {
            out.fail("the SQL parser could not read this statement: " + firstLine(e.getMessage()));
            return;
        }
        ReferenceFinder finder = new ReferenceFinder(text);
        List<String> tables;
        try {
            tables = new ArrayList<>(finder.getTables(statement));
        } catch (RuntimeException e) {
            out.fail("statement structure not supported: " + firstLine(e.getMessage()));
            return;
        }
        ConstantFolder folder = new ConstantFolder(text);
        List<QualifiedName> selectInto = new ArrayList<>();
        StatementKind kind = effects(statement, out, names, folder, selectInto);
        if (kind == null) {
            out.fail("statement type not supported: " + statement.getClass().getSimpleName());
            return;
        }
        out.kind(kind);
        if (!selectInto.isEmpty()) {
            out.kind(StatementKind.CREATE, "table");
            out.effects.add(StatementKind.SELECT);
        }
        if (currentOf) {
            out.where = WhereShape.PRESENT;
        }
        List<QualifiedName> read = new ArrayList<>(tables.size());
        for (String table : tables) {
            QualifiedName name = NameResolver.parse(table);
            if (name == null) {
                out.fail("table name not understood: " + table);
            } else if (!selectInto.contains(name)) {
                read.add(name);
            }
        }
        read.sort(QualifiedName.REPORTING_ORDER);
        for (QualifiedName name : read) {
            names.addRead(out, name);
        }
        List<QualifiedName> called = new ArrayList<>(finder.functions);
        called.sort(QualifiedName.REPORTING_ORDER);
        for (QualifiedName function : called) {
            out.functions.add(names.function(function));
        }
        out.settings.addAll(finder.settings);
        if (finder.problem != null) {
            out.fail(finder.problem);
        }
        lockAndNestedEffects(tokens, out);
    }

    private static Statement parse(String text) throws Exception {
        try {
            CCJSqlParser parser = CCJSqlParserUtil.newParser(text).withAllowComplexParsing(false);
            return parser.Statement();
        } catch (Exception | Error e) {
            // The simple grammar refuses some deep expressions; PostgreSQL's own parser would not.
            CCJSqlParser parser = CCJSqlParserUtil.newParser(text).withAllowComplexParsing(true);
            return parser.Statement();
        }
    }

    /** Effects, write targets and WHERE of one statement (and its data-modifying CTEs); returns its kind. */
    private static StatementKind effects(Statement statement, AnalysisBuilder out, NameResolver names,
            ConstantFolder folder, List<QualifiedName> selectInto) {
        if (statement instanceof Select select) {
            withItems(select.getWithItemsList(), out, names, folder);
            if (select instanceof PlainSelect plain && plain.getIntoTables() != null) {
                for (Table into : plain.getIntoTables()) {
                    QualifiedName name = NameResolver.of(into);
                    selectInto.add(name);
                    names.addWrite(out, name);
                }
            }
            out.effects.add(StatementKind.SELECT);
            return StatementKind.SELECT;
        }
        if (statement instanceof Insert insert) {
            withItems(insert.getWithItemsList(), out, names, folder);
            names.addWrite(out, NameResolver.of(insert.getTable()));
            out.effects.add(StatementKind.INSERT);
            if (insert.getConflictAction() != null
                    && insert.getConflictAction().getConflictActionType() == ConflictActionType.DO_UPDATE) {
                out.effects.add(StatementKind.UPDATE);
                out.where(WhereShape.PRESENT);
            }
            if (insert.getSelect() != null) {
                withItems(insert.getSelect().getWithItemsList(), out, names, folder);
            }
            return StatementKind.INSERT;
        }
        if (statement instanceof Update update) {
            return boundedWrite(StatementKind.UPDATE, update.getWithItemsList(), update.getTable(), update.getWhere(), out,
                    names, folder);
        }
        if (statement instanceof Delete delete) {
            return boundedWrite(StatementKind.DELETE, delete.getWithItemsList(), delete.getTable(), delete.getWhere(), out,
                    names, folder);
        }
        if (statement instanceof Merge merge) {
            withItems(merge.getWithItemsList(), out, names, folder);
            names.addWrite(out, NameResolver.of(merge.getTable()));
            out.effects.add(StatementKind.MERGE);
            for (MergeOperation operation : merge.getOperations()) {
                if (operation instanceof MergeUpdate) {
                    out.effects.add(StatementKind.UPDATE);
                } else if (operation instanceof MergeDelete) {
                    out.effects.add(StatementKind.DELETE);
                } else if (operation instanceof MergeInsert) {
                    out.effects.add(StatementKind.INSERT);
                }
            }
            out.where(merge.getOnCondition() == null ? WhereShape.ABSENT : shape(merge.getOnCondition(), folder));
            return StatementKind.MERGE;
        }
        return null;
    }

    /** UPDATE and DELETE: their CTEs, the written table, and how far the WHERE bounds the write. */
    private static StatementKind boundedWrite(StatementKind kind, List<WithItem<?>> withItems, Table table,
            Expression where, AnalysisBuilder out, NameResolver names, ConstantFolder folder) {
        withItems(withItems, out, names, folder);
        names.addWrite(out, NameResolver.of(table));
        out.effects.add(kind);
        out.where(shape(where, folder));
        return kind;
    }

    private static void withItems(List<WithItem<?>> items, AnalysisBuilder out, NameResolver names, ConstantFolder folder) {
        if (items == null) {
            return;
        }
        for (WithItem<?> item : items) {
            Object body = item.getParenthesedStatement();
            Statement inner = null;
            if (body instanceof net.sf.jsqlparser.statement.insert.ParenthesedInsert insert) {
                inner = insert.getInsert();
            } else if (body instanceof net.sf.jsqlparser.statement.update.ParenthesedUpdate update) {
                inner = update.getUpdate();
            } else if (body instanceof net.sf.jsqlparser.statement.delete.ParenthesedDelete delete) {
                inner = delete.getDelete();
            }
            // A plain query in WITH only reads (its tables are found by the table finder); PostgreSQL
            // allows data-modifying statements only in a top-level WITH, so there is nothing deeper.
            if (inner != null) {
                effects(inner, out, names, folder, new ArrayList<>());
            }
        }
    }

    static WhereShape shape(Expression where, ConstantFolder folder) {
        if (where == null) {
            return WhereShape.ABSENT;
        }
        return folder.isConstantTrue(where) ? WhereShape.CONSTANT_TRUE : WhereShape.PRESENT;
    }

    /**
     * Token-level safety net: a row lock ({@code FOR UPDATE/SHARE}), and a DML keyword right after an
     * opening parenthesis (a data-modifying CTE or rule action) adds its effect even where the parser's
     * model has no place for it. Over-reporting an effect only makes decisions stricter.
     */
    private static void lockAndNestedEffects(List<Token> tokens, AnalysisBuilder out) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token t = tokens.get(i);
            Token next = tokens.get(i + 1);
            if (t.isWord("for") && (next.isWord("update") || next.isWord("share") || next.isWord("no") || next.isWord("key"))) {
                out.effects.add(StatementKind.LOCK);
            } else if (t.is(TokenType.LEFT_PAREN)) {
                if (next.isWord("insert")) {
                    out.effects.add(StatementKind.INSERT);
                } else if (next.isWord("update")) {
                    out.effects.add(StatementKind.UPDATE);
                } else if (next.isWord("delete")) {
                    out.effects.add(StatementKind.DELETE);
                } else if (next.isWord("merge")) {
                    out.effects.add(StatementKind.MERGE);
                }
            }
        }
    }

    private static boolean precedesRelation(Token previous) {
        return previous.isWord("from") || previous.isWord("update") || previous.isWord("into") || previous.isWord("join")
                || previous.isWord("using") || previous.isWord("table") || previous.is(TokenType.COMMA);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
