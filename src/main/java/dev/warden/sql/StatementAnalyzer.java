package dev.warden.sql;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits and analyses SQL text. Never throws on bad SQL: whatever it cannot understand comes back
 * with {@link StatementAnalysis#notUnderstood()} set, which policy denies. Pure and I/O-free; one
 * instance per target catalog, shared by sessions.
 */
public final class StatementAnalyzer {
    private final CatalogView catalog;
    private final boolean tokenOnlyPath;

    public StatementAnalyzer(CatalogView catalog) {
        this(catalog, true);
    }

    /** Without {@code tokenOnlyPath} every query goes through JSqlParser: the reference for the differential test. */
    StatementAnalyzer(CatalogView catalog, boolean tokenOnlyPath) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.tokenOnlyPath = tokenOnlyPath;
    }

    /** A simple-Query message: one analysis per statement, in order; none for an empty query. */
    public List<StatementAnalysis> analyze(String sql, SqlSessionState session) {
        List<StatementSplitter.Piece> pieces;
        try {
            pieces = StatementSplitter.splitTokens(sql, session.standardConformingStrings());
        } catch (SqlLexException e) {
            return List.of(AnalysisBuilder.notUnderstood(sql, "Warden could not read this SQL: " + e.getMessage()));
        }
        List<StatementAnalysis> result = new ArrayList<>(pieces.size());
        for (StatementSplitter.Piece piece : pieces) {
            result.add(new Context(piece.text(), session).analyzeTokens(piece.tokens()));
        }
        return result;
    }

    /**
     * An extended-protocol Parse: exactly one statement (PostgreSQL refuses more in one Parse). An empty
     * Parse is reported as not understood with reason "empty statement"; the caller decides whether to
     * let it through as PostgreSQL's EmptyQueryResponse.
     */
    public StatementAnalysis analyzeOne(String sql, SqlSessionState session) {
        List<StatementAnalysis> all = analyze(sql, session);
        if (all.size() == 1) {
            return all.get(0);
        }
        return AnalysisBuilder.notUnderstood(sql, all.isEmpty() ? "empty statement" : "multiple statements in one Parse");
    }

    /** One statement's analysis: its text (for nested slices) and the session it runs in. */
    private final class Context implements NestedStatements {
        private final String text;
        private final SqlSessionState session;
        private final NameResolver names;
        private int depth;

        Context(String text, SqlSessionState session) {
            this.text = text;
            this.session = session;
            this.names = new NameResolver(catalog, session.searchPath());
        }

        @Override
        public StatementAnalysis analyzeTokens(List<Token> tokens) {
            String slice = tokens.isEmpty() ? "" : text.substring(tokens.get(0).start(), tokens.get(tokens.size() - 1).end());
            AnalysisBuilder out = new AnalysisBuilder(slice);
            if (tokens.isEmpty()) {
                return out.fail("empty statement").build();
            }
            if (++depth > 8) {
                return out.fail("statements nested too deeply").build();
            }
            try {
                classify(new TokenReader(tokens), out);
            } catch (RuntimeException | StackOverflowError e) {
                out.fail("Warden could not analyse this statement: " + e.getClass().getSimpleName());
            } finally {
                depth--;
            }
            if (out.kind == StatementKind.UNKNOWN) {
                out.fail("statement type not understood");
            }
            return out.build();
        }

        private void classify(TokenReader reader, AnalysisBuilder out) {
            Token first = reader.peek();
            if (first.is(TokenType.LEFT_PAREN)) {
                dml(reader.rest(), out);
                return;
            }
            if (!first.is(TokenType.IDENTIFIER)) {
                out.fail("statement does not start with a keyword");
                return;
            }
            String verb = reader.next().text();
            switch (verb) {
                case "select", "with", "values", "table", "insert", "update", "delete", "merge" -> {
                    reader.reset(0);
                    dml(reader.rest(), out);
                }
                case "create" -> SchemaStatements.create(reader, out, names, this);
                case "alter" -> SchemaStatements.alter(reader, out);
                case "drop" -> SchemaStatements.drop(reader, out);
                case "truncate" -> SchemaStatements.truncate(reader, out, names);
                case "comment" -> SchemaStatements.comment(reader, out);
                case "grant" -> SchemaStatements.privileges(reader, out, StatementKind.GRANT);
                case "revoke" -> SchemaStatements.privileges(reader, out, StatementKind.REVOKE);
                case "refresh" -> SchemaStatements.refresh(reader, out, names);
                case "reassign" -> out.kind(StatementKind.ALTER, "owned");
                case "import" -> out.kind(StatementKind.CREATE, "foreign table");
                case "security" -> out.kind(StatementKind.SECURITY_LABEL);
                case "copy" -> CopyAnalyzer.analyze(reader, out, names, this);
                case "set" -> SessionStatements.set(reader, out);
                case "reset" -> SessionStatements.reset(reader, out);
                case "show" -> out.kind(StatementKind.SHOW);
                case "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release" ->
                        SessionStatements.transaction(reader, out, verb);
                case "prepare" -> prepare(reader, out);
                case "execute" -> execute(reader, out);
                case "deallocate" -> out.kind(StatementKind.DEALLOCATE);
                case "discard" -> out.kind(StatementKind.DISCARD);
                case "declare" -> declare(reader, out);
                case "fetch", "move" -> out.kind(StatementKind.FETCH);
                case "close" -> out.kind(StatementKind.CLOSE_CURSOR);
                case "listen" -> out.kind(StatementKind.LISTEN);
                case "notify" -> out.kind(StatementKind.NOTIFY);
                case "unlisten" -> out.kind(StatementKind.UNLISTEN);
                case "lock" -> lock(reader, out);
                case "explain" -> explain(reader, out);
                case "call" -> call(reader, out);
                case "do" -> out.kind(StatementKind.DO);
                case "vacuum" -> out.kind(StatementKind.VACUUM, isVacuumFull(reader) ? "full" : null);
                case "analyze", "analyse" -> out.kind(StatementKind.ANALYZE);
                case "cluster" -> out.kind(StatementKind.CLUSTER);
                case "reindex" -> out.kind(StatementKind.REINDEX);
                case "checkpoint" -> out.kind(StatementKind.CHECKPOINT);
                case "load" -> out.kind(StatementKind.LOAD);
                default -> out.fail("statement type not understood: " + verb.toUpperCase(java.util.Locale.ROOT));
            }
        }

        /** The token-only path for the simplest shapes first; it gives the same analysis, only without JSqlParser's cost. */
        private void dml(List<Token> tokens, AnalysisBuilder out) {
            if (!tokenOnlyPath || !SimpleDml.analyze(tokens, out, names)) {
                DmlAnalyzer.analyze(tokens, out, names);
            }
        }

        /** PREPARE stores a statement; it gets the stored statement's effects so it is refused as early as EXECUTE would be. */
        private void prepare(TokenReader reader, AnalysisBuilder out) {
            if (reader.peekWord("transaction")) {
                out.kind(StatementKind.TRANSACTION);
                return;
            }
            reader.reset(0);
            var syntax = PrepareSyntax.parse(reader, text);
            if (syntax.isEmpty()) {
                out.fail("PREPARE not understood");
                return;
            }
            out.kind(StatementKind.PREPARE);
            reader.reset(syntax.get().bodyStart());
            out.merge(analyzeTokens(reader.rest()));
        }

        /** EXECUTE name [(args)]: the prepared statement's effects; its arguments may call functions too. */
        private void execute(TokenReader reader, AnalysisBuilder out) {
            Token name = reader.peek();
            if (name == null || !name.isName()) {
                out.fail("EXECUTE without a statement name");
                return;
            }
            reader.next();
            out.kind(StatementKind.EXECUTE);
            String body = session.preparedStatement(name.text()).orElse(null);
            if (body == null) {
                out.fail("EXECUTE of a prepared statement Warden has not seen: " + name.text());
                return;
            }
            List<StatementAnalysis> inner = analyze(body, session);
            if (inner.size() != 1) {
                out.fail("prepared statement not understood");
                return;
            }
            out.merge(inner.get(0));
            if (reader.peek() != null && reader.peek().is(TokenType.LEFT_PAREN)) {
                List<Token> arguments = CopyAnalyzer.innerTokens(reader);
                if (arguments == null) {
                    out.fail("EXECUTE arguments not understood");
                    return;
                }
                mergeExpressions(arguments, out);
            }
        }

        /** Functions and tables inside expressions (CALL/EXECUTE arguments), read as {@code SELECT expr, ...}. */
        private void mergeExpressions(List<Token> expressions, AnalysisBuilder out) {
            List<Token> select = new ArrayList<>(expressions.size() + 1);
            Token first = expressions.get(0);
            select.add(new Token(TokenType.IDENTIFIER, "select", first.start(), first.start()));
            select.addAll(expressions);
            AnalysisBuilder inner = new AnalysisBuilder("");
            dml(select, inner);
            out.reads.addAll(inner.reads);
            out.functions.addAll(inner.functions);
            out.settings.addAll(inner.settings);
            if (inner.notUnderstood != null) {
                out.fail(inner.notUnderstood);
            }
        }

        private void call(TokenReader reader, AnalysisBuilder out) {
            out.kind(StatementKind.CALL);
            if (reader.atEnd()) {
                out.fail("CALL without a procedure");
                return;
            }
            mergeExpressions(reader.rest(), out);
        }

        private void declare(TokenReader reader, AnalysisBuilder out) {
            out.kind(StatementKind.DECLARE_CURSOR);
            if (!reader.skipTo("for")) {
                out.fail("DECLARE without FOR query");
                return;
            }
            reader.next();
            out.merge(analyzeTokens(reader.rest()));
        }

        private void lock(TokenReader reader, AnalysisBuilder out) {
            out.kind(StatementKind.LOCK);
            reader.accept("table");
            do {
                reader.accept("only");
                QualifiedName table = reader.name();
                if (table == null) {
                    out.fail("LOCK without a table name");
                    return;
                }
                names.addRead(out, table);
                if (reader.peek() != null && reader.peek().text().equals("*")) {
                    reader.next();
                }
            } while (reader.accept(TokenType.COMMA));
        }

        /**
         * EXPLAIN plans without running, so only the tables are reported as read; EXPLAIN ANALYZE runs the
         * statement and carries all of its effects. An option value we cannot read counts as ANALYZE on.
         */
        private void explain(TokenReader reader, AnalysisBuilder out) {
            out.kind(StatementKind.EXPLAIN);
            boolean analyze = ExplainOptions.readAnalyze(reader);
            if (reader.atEnd()) {
                out.fail("EXPLAIN without a statement");
                return;
            }
            StatementAnalysis inner = analyzeTokens(reader.rest());
            if (analyze) {
                out.merge(inner);
            } else {
                out.reads.addAll(inner.readTables());
                out.reads.addAll(inner.writtenTables());
                out.functions.addAll(inner.functions());
                inner.notUnderstood().ifPresent(out::fail);
            }
        }

        private boolean isVacuumFull(TokenReader reader) {
            for (Token t : reader.rest()) {
                if (t.isWord("full")) {
                    return true;
                }
            }
            return false;
        }
    }
}
