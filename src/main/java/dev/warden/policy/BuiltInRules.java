package dev.warden.policy;

import dev.warden.sql.StatementAnalysis;
import dev.warden.sql.StatementKind;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Rules that hold whatever the policy file says; they are checked before any rule of the file, so
 * no allow rule can turn them off.
 */
public final class BuiltInRules {

    static final String UNKNOWN_STATEMENT = "warden-unknown-statement";
    static final String IDENTITY_SWITCH = "warden-identity-switch";
    static final String READ_ONLY = "warden-read-only";

    private static final Set<String> IDENTITY_SETTINGS = Set.of("role", "session_authorization");
    /** {@code all} is RESET ALL, which would also reset a read-only default Warden set with SET. */
    private static final Set<String> READ_ONLY_SETTINGS = Set.of("transaction_read_only", "default_transaction_read_only", "all");

    private BuiltInRules() {}

    /** The built-in deny for {@code statement}, or null when no built-in rule applies. */
    static Decision check(Subject subject, StatementAnalysis statement, String policyVersion) {
        if (!statement.understood() || statement.kind() == StatementKind.UNKNOWN
                || statement.effects().contains(StatementKind.UNKNOWN)) {
            String why = statement.notUnderstood().orElse("its kind is unknown");
            return Decision.deny(UNKNOWN_STATEMENT, "Warden could not analyse this statement: " + why,
                    "Rewrite it in plain SQL, or ask an administrator.", policyVersion,
                    List.of("the analyser did not understand it: " + why));
        }
        for (String setting : statement.settings()) {
            if (IDENTITY_SETTINGS.contains(setting)) {
                return Decision.deny(IDENTITY_SWITCH, "Switching the database role or session authorization is not allowed"
                                + " through Warden.",
                        "Connect as the identity that has the access you need.", policyVersion,
                        List.of("it changes the setting " + setting));
            }
        }
        if (subject.readOnly()) {
            String change = readWriteChange(statement);
            if (change != null) {
                return Decision.deny(READ_ONLY, "Identity " + subject.identity() + " has read-only access; statements"
                                + " that make a transaction writable are not allowed.",
                        "Ask for write access or an approved write.", policyVersion, List.of(change));
            }
        }
        return null;
    }

    /** Effects a read-only session cannot have, whoever approves them. */
    private static final Set<StatementKind> WRITES = java.util.EnumSet.of(StatementKind.INSERT, StatementKind.UPDATE,
            StatementKind.DELETE, StatementKind.MERGE, StatementKind.COPY_FROM, StatementKind.CREATE, StatementKind.ALTER,
            StatementKind.DROP, StatementKind.TRUNCATE, StatementKind.COMMENT, StatementKind.REFRESH_MATERIALIZED_VIEW,
            StatementKind.GRANT, StatementKind.REVOKE, StatementKind.ROLE);

    /** Whether a read-only identity's session could not run this statement (it writes). */
    public static boolean writes(StatementAnalysis statement) {
        return statement.effects().stream().anyMatch(WRITES::contains);
    }

    /**
     * A write held for approval that could not run even once approved (a read-only identity, and no
     * way to run it with the writer credential): refused now rather than approved in vain.
     *
     * @param why why it could not run, for the client
     */
    public static Decision approvalThatCannotHelp(Subject subject, Decision decision, String why) {
        List<String> because = new java.util.ArrayList<>(decision.because());
        because.add("rule " + decision.rule() + " would hold it for approval, but the identity is read-only");
        return Decision.deny(READ_ONLY, "Identity " + subject.identity() + " has read-only access and " + why
                        + ", so this write could not run even if approved (rule \"" + decision.rule()
                        + "\" holds it for approval).",
                "Send it as a simple query (psql does; pgJDBC with preferQueryMode=simple), or connect as an identity"
                        + " with write access, to ask for approval of writes.",
                decision.policyVersion(), because);
    }

    /**
     * What in {@code statement} could undo a read-only session, or null. The analysis contract has
     * setting names but not values, so any change of a read-only setting counts, even to on; READ
     * WRITE in transaction statements is found by word, which may refuse a harmless look-alike
     * (fail closed) but never misses {@code BEGIN READ WRITE} or session characteristics.
     */
    private static String readWriteChange(StatementAnalysis statement) {
        for (String setting : statement.settings()) {
            if (READ_ONLY_SETTINGS.contains(setting)) {
                return "it changes the setting " + setting + " of a read-only identity";
            }
        }
        StatementKind kind = statement.kind();
        if ((kind == StatementKind.TRANSACTION || kind == StatementKind.SET) && containsWord(statement.text(), "write")) {
            return "it asks for a READ WRITE transaction for a read-only identity";
        }
        if (kind == StatementKind.DISCARD && containsWord(statement.text(), "all")) {
            return "DISCARD ALL would reset the read-only settings of a read-only identity";
        }
        return null;
    }

    static boolean containsWord(String text, String word) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (int at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + 1)) {
            int end = at + word.length();
            if ((at == 0 || !isWordPart(lower.charAt(at - 1))) && (end == lower.length() || !isWordPart(lower.charAt(end)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
