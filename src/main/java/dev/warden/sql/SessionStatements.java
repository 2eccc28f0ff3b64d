package dev.warden.sql;

import java.util.List;
import java.util.Locale;

/** SET/RESET and transaction control: which settings a statement touches, read from tokens. */
final class SessionStatements {
    private SessionStatements() {
    }

    static void set(TokenReader reader, AnalysisBuilder out) {
        out.kind(StatementKind.SET);
        if (reader.accept("session", "characteristics", "as", "transaction")) {
            transactionModes(reader.rest(), out, true);
            return;
        }
        if (!reader.accept("session", "authorization")) {
            if (!reader.accept("session")) {
                reader.accept("local");
            }
        } else {
            out.settings.add("session_authorization");
            return;
        }
        if (reader.accept("session", "authorization")) {
            out.settings.add("session_authorization");
        } else if (reader.accept("role")) {
            out.settings.add("role");
        } else if (reader.accept("transaction")) {
            if (reader.accept("snapshot")) {
                out.settings.add("transaction_snapshot");
            } else {
                transactionModes(reader.rest(), out, false);
            }
        } else if (reader.accept("time", "zone")) {
            out.settings.add("timezone");
        } else if (reader.accept("names")) {
            out.settings.add("client_encoding");
        } else if (reader.accept("schema")) {
            out.settings.add("search_path");
        } else if (reader.accept("xml", "option")) {
            out.settings.add("xmloption");
        } else if (reader.accept("constraints")) {
            // SET CONSTRAINTS changes constraint timing in this transaction; no setting is touched.
            return;
        } else {
            String name = settingName(reader);
            if (name == null || !(reader.accept(TokenType.OPERATOR) || reader.accept("to"))) {
                out.fail("SET without a setting name and TO or =");
                return;
            }
            out.settings.add(name);
        }
    }

    static void reset(TokenReader reader, AnalysisBuilder out) {
        out.kind(StatementKind.RESET);
        if (reader.accept("session", "authorization")) {
            out.settings.add("session_authorization");
        } else if (reader.accept("time", "zone")) {
            out.settings.add("timezone");
        } else {
            String name = settingName(reader);
            if (name == null || !reader.atEnd()) {
                out.fail("RESET without a setting name");
                return;
            }
            out.settings.add(name);
        }
    }

    /** {@code name} or {@code prefix.name} (custom settings), lower-cased as PostgreSQL does. */
    static String settingName(TokenReader reader) {
        QualifiedName name = reader.name();
        if (name == null) {
            return null;
        }
        String full = name.schema() == null ? name.name() : name.schema() + "." + name.name();
        return full.toLowerCase(Locale.ROOT);
    }

    /** BEGIN / START TRANSACTION / SET TRANSACTION modes: READ WRITE undoes a read-only default. */
    static void transactionModes(List<Token> modes, AnalysisBuilder out, boolean sessionDefault) {
        for (int i = 0; i + 1 < modes.size(); i++) {
            if (modes.get(i).isWord("read") && modes.get(i + 1).isWord("write")) {
                out.settings.add("transaction_read_only");
                if (sessionDefault) {
                    out.settings.add("default_transaction_read_only");
                }
            } else if (modes.get(i).isWord("isolation") && modes.get(i + 1).isWord("level")) {
                out.settings.add(sessionDefault ? "default_transaction_isolation" : "transaction_isolation");
            }
        }
    }

    /** BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT, SAVEPOINT, RELEASE, two-phase commit. */
    static void transaction(TokenReader reader, AnalysisBuilder out, String verb) {
        out.kind(StatementKind.TRANSACTION);
        if (verb.equals("begin") || verb.equals("start")) {
            transactionModes(reader.rest(), out, false);
        }
    }
}
