package dev.warden.sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the analyser must know about one client session, kept up to date by the proxy calling
 * {@link #observeCompleted} after the server confirmed a statement (never before: a SET the server
 * refused changed nothing). Not thread-safe: one per session, used on its event loop.
 *
 * <p>SET LOCAL and {@code set_config(..., true)} last until the transaction ends: they are kept as a
 * transaction-local overlay that {@link #observeReadyForQuery} drops when the server reports the
 * session idle ('I'). Known simplification: a SET SESSION inside a transaction that is later rolled
 * back is not undone here (PostgreSQL would undo it).
 *
 * <p>SQL-level prepared statements are kept as their text, and EXECUTE analyses that text again with
 * the current search_path: PostgreSQL re-analyses a prepared statement when search_path changes too.
 */
public final class SqlSessionState {
    public static final List<String> DEFAULT_SEARCH_PATH = List.of("$user", "public");

    private List<String> searchPath = DEFAULT_SEARCH_PATH;
    private List<String> localSearchPath;
    private boolean standardConformingStrings = true;
    private Boolean localStandardConformingStrings;
    private final Map<String, String> prepared = new HashMap<>();

    public List<String> searchPath() {
        return localSearchPath != null ? localSearchPath : searchPath;
    }

    public boolean standardConformingStrings() {
        return localStandardConformingStrings != null ? localStandardConformingStrings : standardConformingStrings;
    }

    /** The statement text of a SQL-level prepared statement ({@code PREPARE name AS text}). */
    public Optional<String> preparedStatement(String name) {
        return Optional.ofNullable(prepared.get(name));
    }

    /** Called with ReadyForQuery's transaction status; 'I' (idle) ends SET LOCAL's lifetime. */
    public void observeReadyForQuery(char transactionStatus) {
        if (transactionStatus == 'I') {
            localSearchPath = null;
            localStandardConformingStrings = null;
        }
    }

    /** Applies the session-level side effects of a statement the server completed successfully. */
    public void observeCompleted(StatementAnalysis statement) {
        if (!statement.understood() || !mayChangeState(statement)) {
            return;
        }
        List<Token> tokens;
        try {
            tokens = SqlLexer.tokenize(statement.text(), standardConformingStrings());
        } catch (SqlLexException e) {
            return;
        }
        TokenReader reader = new TokenReader(tokens);
        switch (statement.kind()) {
            case SET -> observeSet(reader);
            case RESET -> observeReset(reader);
            case PREPARE -> observePrepare(reader, statement.text());
            case DEALLOCATE -> observeDeallocate(reader);
            case DISCARD -> {
                if (reader.accept("discard", "all")) {
                    resetAll();
                    prepared.clear();
                }
            }
            case SELECT -> SetConfigCalls.apply(tokens, this);
            default -> {
            }
        }
    }

    /**
     * Whether the statement could change what is tracked here, so that the rest need not be lexed
     * again after every completion: a SELECT only through a set_config call, which as a word token
     * cannot exist without those letters in the text (a case-insensitive search finds every spelling
     * the lexer would fold to it).
     */
    private static boolean mayChangeState(StatementAnalysis statement) {
        return switch (statement.kind()) {
            case SET, RESET, PREPARE, DEALLOCATE, DISCARD -> true;
            case SELECT -> SqlLexer.mayContainWord(statement.text(), "set_config");
            default -> false;
        };
    }

    private void observeSet(TokenReader reader) {
        reader.accept("set");
        boolean local = reader.accept("local");
        if (!local) {
            reader.accept("session");
        }
        String name;
        if (reader.accept("schema")) {
            name = "search_path";
        } else {
            name = SessionStatements.settingName(reader);
            if (name == null || !(reader.accept(TokenType.OPERATOR) || reader.accept("to"))) {
                return;
            }
        }
        if (name.equals("search_path")) {
            List<String> value = reader.accept("default") ? DEFAULT_SEARCH_PATH : searchPathItems(reader.rest());
            assign(name, value, null, local);
        } else if (name.equals("standard_conforming_strings")) {
            assign(name, null, reader.accept("default") ? Boolean.TRUE : booleanValue(reader.rest()), local);
        }
    }

    void assign(String name, List<String> path, Boolean flag, boolean local) {
        if (name.equals("search_path") && path != null) {
            if (local) {
                localSearchPath = List.copyOf(path);
            } else {
                searchPath = List.copyOf(path);
                localSearchPath = null;
            }
        } else if (name.equals("standard_conforming_strings") && flag != null) {
            if (local) {
                localStandardConformingStrings = flag;
            } else {
                standardConformingStrings = flag;
                localStandardConformingStrings = null;
            }
        }
    }

    private void observeReset(TokenReader reader) {
        reader.accept("reset");
        String name = SessionStatements.settingName(reader);
        if ("all".equals(name)) {
            resetAll();
        } else if ("search_path".equals(name)) {
            assign(name, DEFAULT_SEARCH_PATH, null, false);
        } else if ("standard_conforming_strings".equals(name)) {
            assign(name, null, Boolean.TRUE, false);
        }
    }

    private void resetAll() {
        searchPath = DEFAULT_SEARCH_PATH;
        standardConformingStrings = true;
        localSearchPath = null;
        localStandardConformingStrings = null;
    }

    private void observePrepare(TokenReader reader, String text) {
        PrepareSyntax.parse(reader, text).ifPresent(p -> prepared.put(p.name(), p.body()));
    }

    private void observeDeallocate(TokenReader reader) {
        reader.accept("deallocate");
        reader.accept("prepare");
        if (reader.accept("all")) {
            prepared.clear();
        } else if (reader.peek() != null && reader.peek().isName()) {
            prepared.remove(reader.next().text());
        }
    }

    /** SET search_path items: identifiers (folded or quoted) or string constants, comma separated. */
    static List<String> searchPathItems(List<Token> tokens) {
        List<String> items = new ArrayList<>();
        for (Token t : tokens) {
            if (t.isName() || t.is(TokenType.STRING)) {
                items.add(t.text());
            } else if (!t.is(TokenType.COMMA)) {
                return null;
            }
        }
        return items;
    }

    /** The value string of set_config('search_path', 'a, "B"', ...): split like PostgreSQL's SplitIdentifierString. */
    static List<String> searchPathFromString(String value) {
        try {
            return searchPathItems(SqlLexer.tokenize(value));
        } catch (SqlLexException e) {
            return null;
        }
    }

    static Boolean booleanValue(List<Token> tokens) {
        if (tokens.size() != 1) {
            return null;
        }
        String v = tokens.get(0).text().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "on", "true", "yes", "1", "t", "y" -> Boolean.TRUE;
            case "off", "false", "no", "0", "f", "n" -> Boolean.FALSE;
            default -> null;
        };
    }
}
