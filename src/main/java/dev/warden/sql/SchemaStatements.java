package dev.warden.sql;

import java.util.List;
import java.util.Set;

/**
 * DDL and privilege statements, classified from tokens: JSqlParser covers little of PostgreSQL's
 * DDL, and what policy needs here is the verb, the object type and a few names.
 *
 * <p>Role DDL ({@code CREATE/ALTER/DROP ROLE|USER|GROUP}) is kind {@link StatementKind#ROLE} with
 * objectType {@code role} and the verb (CREATE/ALTER/DROP) among the effects, so "deny role changes"
 * matches on the kind and "deny every DROP" still matches on the effect.
 */
final class SchemaStatements {
    private static final Set<String> CREATE_MODIFIERS = Set.of(
            "or", "replace", "temp", "temporary", "unlogged", "global", "local", "unique", "recursive", "trusted", "default");

    private SchemaStatements() {
    }

    static void create(TokenReader reader, AnalysisBuilder out, NameResolver names, NestedStatements nested) {
        while (reader.peek() != null && reader.peek().is(TokenType.IDENTIFIER) && CREATE_MODIFIERS.contains(reader.peek().text())
                && !(reader.peekWord("default") && reader.peek(1) != null && reader.peek(1).isWord("privileges"))) {
            reader.next();
        }
        String type = ObjectTypes.read(reader);
        if (type == null) {
            out.fail("CREATE of an object type Warden does not know");
            return;
        }
        if (ObjectTypes.isRole(type)) {
            out.kind(StatementKind.ROLE, "role");
            out.effects.add(StatementKind.CREATE);
            return;
        }
        out.kind(StatementKind.CREATE, type);
        switch (type) {
            case "table", "materialized view", "view" -> createRelation(reader, out, names, nested, type);
            case "trigger", "constraint trigger", "event trigger" -> {
                if (reader.skipTo("execute")) {
                    reader.next();
                    if (reader.accept("function") || reader.accept("procedure")) {
                        addFunction(reader, out, names);
                    }
                }
            }
            case "rule" -> {
                if (reader.skipTo("do")) {
                    out.merge(nestedRuleEffects(reader.rest()));
                }
            }
            default -> {
            }
        }
        defaultExpressionFunctions(reader, out, names);
    }

    private static void createRelation(TokenReader reader, AnalysisBuilder out, NameResolver names, NestedStatements nested,
            String type) {
        if (reader.accept("if", "not", "exists")) {
            // nothing more to learn from it
        }
        QualifiedName name = reader.name();
        int afterName = reader.position();
        if (name != null && reader.skipTo("as")) {
            reader.next();
            List<Token> query = reader.rest();
            if (query.isEmpty()) {
                out.fail("CREATE ... AS without a query");
                return;
            }
            StatementAnalysis inner = nested.analyzeTokens(withoutWithData(query));
            if (type.equals("view")) {
                // A view's query does not run now; what it reads still matters to policy.
                out.reads.addAll(inner.readTables());
                out.functions.addAll(inner.functions());
                inner.notUnderstood().ifPresent(out::fail);
            } else {
                out.merge(inner);
                names.addWrite(out, name);
            }
        } else {
            reader.reset(afterName);
        }
    }

    /** CREATE TABLE AS / MATERIALIZED VIEW end with an optional WITH [NO] DATA that is not part of the query. */
    private static List<Token> withoutWithData(List<Token> query) {
        int n = query.size();
        if (n >= 2 && query.get(n - 1).isWord("data") && query.get(n - 2).isWord("with")) {
            return query.subList(0, n - 2);
        }
        if (n >= 3 && query.get(n - 1).isWord("data") && query.get(n - 2).isWord("no") && query.get(n - 3).isWord("with")) {
            return query.subList(0, n - 3);
        }
        return query;
    }

    /** A rule's actions run on every matching statement: their DML keywords become effects. */
    private static StatementAnalysis nestedRuleEffects(List<Token> actions) {
        AnalysisBuilder effects = new AnalysisBuilder("");
        for (Token t : actions) {
            if (t.isWord("insert")) {
                effects.effects.add(StatementKind.INSERT);
            } else if (t.isWord("update")) {
                effects.effects.add(StatementKind.UPDATE);
            } else if (t.isWord("delete")) {
                effects.effects.add(StatementKind.DELETE);
            } else if (t.isWord("notify")) {
                effects.effects.add(StatementKind.NOTIFY);
            }
        }
        effects.kind = StatementKind.CREATE;
        effects.effects.add(StatementKind.CREATE);
        return effects.build();
    }

    /** {@code DEFAULT f(...)} in a column definition calls f on every insert. */
    private static void defaultExpressionFunctions(TokenReader reader, AnalysisBuilder out, NameResolver names) {
        List<Token> rest = reader.rest();
        for (int i = 0; i + 2 < rest.size(); i++) {
            if (rest.get(i).isWord("default") && rest.get(i + 1).isName()) {
                TokenReader call = new TokenReader(rest.subList(i + 1, rest.size()));
                addFunction(call, out, names);
            }
        }
    }

    private static void addFunction(TokenReader reader, AnalysisBuilder out, NameResolver names) {
        QualifiedName function = reader.name();
        if (function != null && reader.peek() != null && reader.peek().is(TokenType.LEFT_PAREN)) {
            out.functions.add(names.function(function));
        }
    }

    static void alter(TokenReader reader, AnalysisBuilder out) {
        if (reader.accept("system")) {
            out.kind(StatementKind.ALTER_SYSTEM);
            settingAfterSetOrReset(reader, out);
            return;
        }
        if (reader.accept("default", "privileges")) {
            out.kind(StatementKind.ALTER, "default privileges");
            out.effects.add(reader.containsWord("revoke") ? StatementKind.REVOKE : StatementKind.GRANT);
            return;
        }
        String type = ObjectTypes.read(reader);
        if (type == null) {
            out.fail("ALTER of an object type Warden does not know");
            return;
        }
        if (ObjectTypes.isRole(type)) {
            out.kind(StatementKind.ROLE, "role");
            out.effects.add(StatementKind.ALTER);
        } else {
            out.kind(StatementKind.ALTER, type);
        }
        if (Set.of("role", "user", "database", "function", "procedure", "routine").contains(type)) {
            settingAfterSetOrReset(reader, out);
        }
    }

    /** {@code ... SET name TO ...} / {@code RESET name|ALL}: the setting a database- or role-level default touches. */
    private static void settingAfterSetOrReset(TokenReader reader, AnalysisBuilder out) {
        List<Token> rest = reader.rest();
        for (int i = 0; i + 1 < rest.size(); i++) {
            if ((rest.get(i).isWord("set") || rest.get(i).isWord("reset")) && rest.get(i + 1).isName()) {
                out.settings.add(rest.get(i + 1).text().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    static void drop(TokenReader reader, AnalysisBuilder out) {
        String type = ObjectTypes.read(reader);
        if (type == null) {
            out.fail("DROP of an object type Warden does not know");
        } else if (ObjectTypes.isRole(type)) {
            out.kind(StatementKind.ROLE, "role");
            out.effects.add(StatementKind.DROP);
        } else {
            out.kind(StatementKind.DROP, type);
        }
    }

    static void truncate(TokenReader reader, AnalysisBuilder out, NameResolver names) {
        out.kind(StatementKind.TRUNCATE, "table");
        reader.accept("table");
        do {
            reader.accept("only");
            QualifiedName table = reader.name();
            if (table == null) {
                out.fail("TRUNCATE without a table name");
                return;
            }
            names.addWrite(out, table);
            if (reader.peek() != null && reader.peek().is(TokenType.OPERATOR) && reader.peek().text().equals("*")) {
                reader.next();
            }
        } while (reader.accept(TokenType.COMMA));
        out.where(WhereShape.ABSENT);
    }

    static void comment(TokenReader reader, AnalysisBuilder out) {
        if (!reader.accept("on")) {
            out.fail("COMMENT without ON");
            return;
        }
        String type = ObjectTypes.read(reader);
        if (type == null) {
            out.fail("COMMENT on an object type Warden does not know");
            return;
        }
        out.kind(StatementKind.COMMENT, type);
    }

    /** GRANT/REVOKE: the object type after ON, or {@code role} for role membership (no ON). */
    static void privileges(TokenReader reader, AnalysisBuilder out, StatementKind kind) {
        out.kind(kind);
        if (!reader.skipTo("on")) {
            out.objectType = "role";
            return;
        }
        reader.next();
        if (reader.accept("all")) {
            String plural = reader.atEnd() ? "" : reader.next().text();
            out.objectType = switch (plural) {
                case "tables" -> "table";
                case "sequences" -> "sequence";
                case "functions" -> "function";
                case "procedures" -> "procedure";
                case "routines" -> "routine";
                default -> null;
            };
            if (out.objectType == null) {
                out.fail("GRANT/REVOKE ON ALL of an unknown kind");
            }
            return;
        }
        if (reader.accept("foreign", "server")) {
            out.objectType = "server";
            return;
        }
        if (reader.accept("parameter")) {
            out.objectType = "parameter";
            return;
        }
        String type = ObjectTypes.read(reader);
        out.objectType = type == null ? "table" : type;
    }

    static void refresh(TokenReader reader, AnalysisBuilder out, NameResolver names) {
        if (!reader.accept("materialized", "view")) {
            out.fail("REFRESH of something other than a materialized view");
            return;
        }
        out.kind(StatementKind.REFRESH_MATERIALIZED_VIEW, "materialized view");
        reader.accept("concurrently");
        QualifiedName view = reader.name();
        if (view == null) {
            out.fail("REFRESH MATERIALIZED VIEW without a name");
            return;
        }
        names.addWrite(out, view);
    }
}
