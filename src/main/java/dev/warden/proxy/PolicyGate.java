package dev.warden.proxy;

import static java.util.Objects.requireNonNull;

import dev.warden.bounded.LeastRecentlyUsedMap;
import dev.warden.catalog.CatalogSnapshot;
import dev.warden.catalog.TargetCatalogs;
import dev.warden.policy.BuiltInRules;
import dev.warden.policy.Decision;
import dev.warden.policy.Outcome;
import dev.warden.policy.PolicyEngine;
import dev.warden.policy.PolicyHolder;
import dev.warden.policy.RowEstimate;
import dev.warden.policy.Subject;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.SqlState;
import dev.warden.sql.CatalogView;
import dev.warden.sql.QualifiedName;
import dev.warden.sql.SqlSessionState;
import dev.warden.sql.StatementAnalysis;
import dev.warden.sql.StatementAnalyzer;
import dev.warden.sql.StatementKind;
import dev.warden.sql.WhereShape;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy at the enforcement point: analyses each statement against the target's catalog and
 * the session's SQL state, asks the active policy (whatever version is live at that moment, so a
 * reload applies to the next statement), and turns a refusal into the client's error. One per session.
 */
final class PolicyGate implements StatementGate {
    private static final Logger log = LoggerFactory.getLogger(PolicyGate.class);
    private static final int MAX_STATEMENT_IN_DETAIL = 200;
    /** Kinds after which the catalog may have changed: reload it so names resolve to what now exists. */
    private static final Set<StatementKind> CATALOG_CHANGING = EnumSet.of(StatementKind.CREATE, StatementKind.ALTER,
            StatementKind.DROP, StatementKind.ROLE, StatementKind.GRANT, StatementKind.REVOKE);

    private final PolicyHolder policies;
    private final TargetCatalogs catalogs;
    private final String target;
    private final Subject subject;
    private final Map<String, String> startupParameters;
    private final SqlSessionState sqlState = new SqlSessionState();
    private static final CatalogView NO_CATALOG = CatalogView.empty();

    private static final int ANALYSIS_CACHE_ENTRIES = 64;

    private final Map<AnalysisKey, Decided> analysisCache = new LeastRecentlyUsedMap<>(ANALYSIS_CACHE_ENTRIES);
    private CatalogView analyzedWith;
    private StatementAnalyzer analyzer;

    private final boolean approvalsEnabled;
    private boolean estimatesEnabled;

    /** Lets decisions wait for the planner's row estimates (the relay has an estimator). */
    PolicyGate withEstimates() {
        this.estimatesEnabled = true;
        return this;
    }

    /**
     * @param approvalsEnabled whether this gateway can hold statements for approval (it has a control
     *     plane approvers can reach); without it, statements needing approval are refused outright
     */
    private final boolean targetHasWriter;

    PolicyGate(PolicyHolder policies, TargetCatalogs catalogs, String target, Subject subject,
            Map<String, String> startupParameters, boolean approvalsEnabled) {
        this(policies, catalogs, target, subject, startupParameters, approvalsEnabled, false);
    }

    /**
     * @param targetHasWriter the target has a read-write credential, with which approved writes of a
     *     read-only identity run
     */
    PolicyGate(PolicyHolder policies, TargetCatalogs catalogs, String target, Subject subject,
            Map<String, String> startupParameters, boolean approvalsEnabled, boolean targetHasWriter) {
        this.targetHasWriter = targetHasWriter;
        this.approvalsEnabled = approvalsEnabled;
        this.policies = requireNonNull(policies, "policies is null");
        this.catalogs = requireNonNull(catalogs, "catalogs is null");
        this.target = requireNonNull(target, "target is null");
        this.subject = requireNonNull(subject, "subject is null");
        this.startupParameters = Map.copyOf(startupParameters);
    }

    @Override
    public Verdict checkQuery(String sql) {
        Decided decided = decided(sql, false);
        if (decided.statements().isEmpty()) {
            return Verdict.ALLOW;
        }
        simpleQuery = true;
        return estimatedOr(decided);
    }

    /** Whether the message being decided is a simple Query (approved writes of read-only identities need one). */
    private boolean simpleQuery;

    @Override
    public Verdict checkParse(String sql) {
        Decided decided = decided(sql, true);
        Decision decision = decided.decision();
        if (decision.outcome() == Outcome.DENY && wantsEstimate(decided)) {
            // A limit on estimated rows is settled at Execute, with the estimate: not here, without one.
            decision = policies.engine().decideWithEstimate(subject, target, decided.statements().get(0), startupParameters,
                    RowEstimate.PENDING);
        }
        // Only a flat deny stops the Parse; approval (and a policy reload) is settled at Execute.
        return decision.outcome() == Outcome.DENY ? verdict(decision, decided.statements()) : Verdict.ALLOW;
    }

    /**
     * The verdict, or for a single UPDATE, DELETE or MERGE whose decision a row limit could change,
     * a verdict that waits for the planner's estimate. Several statements in one message are decided
     * without estimates (restrictively), so that none of them waits on another's plan.
     */
    private Verdict estimatedOr(Decided decided) {
        if (!wantsEstimate(decided)) {
            return verdict(decided.decision(), decided.statements());
        }
        StatementAnalysis statement = decided.statements().get(0);
        boolean simple = simpleQuery;
        boolean exact = policies.engine().wantsExactCount(subject, target, statement, startupParameters);
        return Verdict.afterEstimate(decided.decision(), new Estimation(statement.text(), exact, estimate -> {
            simpleQuery = simple;
            Decision decision = policies.engine().decideWithEstimate(subject, target, statement, startupParameters, estimate);
            return verdict(withEstimate(decision, estimate), decided.statements());
        }));
    }

    private boolean wantsEstimate(Decided decided) {
        return estimatesEnabled && decided.statements().size() == 1
                && policies.engine().wantsEstimate(subject, target, decided.statements().get(0), startupParameters);
    }

    /** The estimate goes on record with the decision, whether or not a rule turned on it. */
    private static Decision withEstimate(Decision decision, RowEstimate estimate) {
        List<String> because = new java.util.ArrayList<>(decision.because());
        because.add(estimate.known() ? "the planner estimated " + estimate.rows() + " rows"
                : "no row estimate could be made");
        return new Decision(decision.outcome(), decision.rule(), decision.reason(), decision.hint(), decision.policyVersion(),
                decision.approval(), because);
    }

    @Override
    public Verdict checkExecute(String sql) {
        if (sql == null) {
            Decision unknown = Decision.deny("warden-unknown-statement",
                    "Warden does not know the statement behind this portal",
                    "Prepare the statement through Warden (Parse, then Bind) before executing it.",
                    policies.policy().version());
            return Verdict.refuse(errorFor(unknown, List.of()), unknown);
        }
        Decided decided = decided(sql, true);
        simpleQuery = false;
        return estimatedOr(decided);
    }

    @Override
    public Verdict checkFunctionCall(int functionOid) {
        Optional<QualifiedName> function = catalog() instanceof CatalogSnapshot snapshot
                ? snapshot.functionName(Integer.toUnsignedLong(functionOid))
                : Optional.empty();
        String text = "fast-path call of " + function.map(QualifiedName::toString).orElse("function OID " + Integer.toUnsignedLong(functionOid));
        // Decided like "SELECT f(...)": an unknown OID is a statement Warden does not understand.
        StatementAnalysis call = new StatementAnalysis(text, StatementKind.SELECT, null, Set.of(StatementKind.SELECT),
                List.of(), List.of(), function.map(List::of).orElse(List.of()), WhereShape.NOT_APPLICABLE,
                Optional.empty(), Set.of(),
                function.isPresent() ? Optional.empty() : Optional.of("the function OID is not in the catalog"));
        Decision decision = policies.engine().decide(subject, target, call, startupParameters);
        simpleQuery = false;
        return verdict(decision, List.of(call));
    }

    @Override
    public Optional<String> searchPathSetting() {
        StringBuilder setting = new StringBuilder();
        for (String schema : sqlState.searchPath()) {
            setting.append(setting.length() == 0 ? "" : ", ").append('"').append(schema.replace("\"", "\"\"")).append('"');
        }
        return Optional.of(setting.toString());
    }

    @Override
    public void onReadyForQuery(byte transactionStatus) {
        sqlState.observeReadyForQuery((char) transactionStatus);
    }

    private Verdict verdict(Decision decision, List<StatementAnalysis> statements) {
        if (approvalsEnabled && decision.outcome() == Outcome.REQUIRE_APPROVAL && subject.readOnly()
                && statements.stream().anyMatch(BuiltInRules::writes)) {
            // A read-only session cannot run the write: once approved it runs with the writer
            // credential on a connection of its own, which only a simple Query can be moved to.
            if (targetHasWriter && simpleQuery) {
                return Verdict.allow(new Completion(statements), decision).asWriter();
            }
            decision = BuiltInRules.approvalThatCannotHelp(subject, decision, targetHasWriter
                    ? "only a simple query can run with the writer credential" : "target " + target + " has no writer credential");
        }
        if (decision.isAllowed() || (approvalsEnabled && decision.outcome() == Outcome.REQUIRE_APPROVAL)) {
            // Needing approval, the statement runs as if allowed once approved: the relay parks it first.
            return Verdict.allow(new Completion(statements), decision);
        }
        log.info("target {}: identity {} refused by rule {} (policy {}): {}", target, subject.identity(), decision.rule(),
                shortVersion(decision), decision.outcome());
        return Verdict.refuse(errorFor(decision, statements), decision);
    }

    /** 42501 naming the rule, the reason, the statement and the policy version, with the rule's hint. */
    static PgError errorFor(Decision decision, List<StatementAnalysis> statements) {
        String message = switch (decision.outcome()) {
            case DENY -> "Access denied by rule \"" + decision.rule() + "\": " + decision.reason();
            case REQUIRE_APPROVAL -> "Approval required by rule \"" + decision.rule() + "\": " + decision.reason()
                    + " (approvals are not enabled on this gateway yet, so the statement was refused)";
            case ALLOW -> throw new IllegalArgumentException("an allowed statement has no error");
        };
        // The rule's own hint for an approval ("held until ...") would promise what cannot happen yet.
        String hint = decision.outcome() == Outcome.REQUIRE_APPROVAL
                ? "This gateway cannot hold statements for approval yet: ask an administrator to run it, or to change rule \""
                        + decision.rule() + "\"."
                : decision.hint().isEmpty() ? null : decision.hint();
        String detail = (statements.size() == 1 ? "Statement: " : "Statements (none ran): ")
                + abbreviate(statements.size() == 1 ? statements.get(0).text() : joinTexts(statements))
                + "\nPolicy version: " + shortVersion(decision) + ".";
        return new PgError(PgError.Severity.ERROR, SqlState.INSUFFICIENT_PRIVILEGE, message, detail, hint);
    }

    private static String joinTexts(List<StatementAnalysis> statements) {
        StringBuilder joined = new StringBuilder();
        for (StatementAnalysis statement : statements) {
            joined.append(joined.length() == 0 ? "" : "; ").append(statement.text());
        }
        return joined.toString();
    }

    /** A statement on one line, cut at 200 characters, for error details. */
    static String abbreviate(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_STATEMENT_IN_DETAIL ? oneLine : oneLine.substring(0, MAX_STATEMENT_IN_DETAIL) + "...";
    }

    private static String shortVersion(Decision decision) {
        String version = decision.policyVersion();
        return version.length() > 12 ? version.substring(0, 12) : version;
    }

    /**
     * Analyses and decision, remembered per text for repeated statements (pgbench and ORMs send the
     * same Parse text over and over). An entry is valid only for the catalog snapshot, search_path
     * and string syntax it was analysed under, and its decision only for the policy version it was
     * made under; SQL-level EXECUTE depends on the session's PREPAREs, so it is never remembered.
     */
    private Decided decided(String sql, boolean single) {
        StatementAnalyzer current = analyzer();
        PolicyEngine engine = policies.engine();
        AnalysisKey key = new AnalysisKey(sql, single, sqlState.searchPath(), sqlState.standardConformingStrings());
        Decided remembered = analysisCache.get(key);
        if (remembered != null && remembered.decision().policyVersion().equals(engine.policy().version())) {
            return remembered;
        }
        List<StatementAnalysis> statements = remembered != null ? remembered.statements()
                : single ? List.of(current.analyzeOne(sql, sqlState)) : current.analyze(sql, sqlState);
        Decided decided = new Decided(statements,
                engine.decideAllUncached(subject, target, statements, startupParameters));
        if (statements.stream().noneMatch(statement -> statement.effects().contains(StatementKind.EXECUTE))) {
            analysisCache.put(key, decided);
        }
        return decided;
    }

    private record Decided(List<StatementAnalysis> statements, Decision decision) {}

    private record AnalysisKey(String sql, boolean single, List<String> searchPath, boolean standardConformingStrings) {}

    /** The analyser over the newest catalog snapshot (a new snapshot after DDL or a refresh). */
    private StatementAnalyzer analyzer() {
        CatalogView catalog = catalog();
        if (analyzer == null || catalog != analyzedWith) {
            analyzedWith = catalog;
            analyzer = new StatementAnalyzer(catalog);
            analysisCache.clear();
        }
        return analyzer;
    }

    private CatalogView catalog() {
        return catalogs.current(target).<CatalogView>map(snapshot -> snapshot).orElse(NO_CATALOG);
    }

    /** Follows the server's CommandCompletes through an allowed message's statements, in order. */
    private final class Completion implements CompletionObserver {
        private final List<StatementAnalysis> statements;
        private int next;

        Completion(List<StatementAnalysis> statements) {
            this.statements = statements;
        }

        @Override
        public void statementCompleted() {
            if (next >= statements.size()) {
                return;
            }
            StatementAnalysis completed = statements.get(next++);
            sqlState.observeCompleted(completed);
            if (completed.effects().stream().anyMatch(CATALOG_CHANGING::contains)) {
                catalogs.invalidate(target);
            }
        }
    }
}
