package dev.warden.proxy;

import static java.util.Objects.requireNonNull;

import dev.warden.catalog.TargetCatalogs;
import dev.warden.config.TargetConfig;
import dev.warden.identity.Identity;
import dev.warden.policy.Decision;
import dev.warden.policy.PolicyHolder;
import dev.warden.policy.Subject;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.SqlState;
import java.util.Map;
import java.util.Optional;

/** Gives each session a {@link PolicyGate} over the live policy and the target's catalog. */
public final class PolicyGates implements StatementGates {
    private final PolicyHolder policies;
    private final TargetCatalogs catalogs;
    private final MaskingKeys maskingKeys = new MaskingKeys();

    private final boolean approvalsEnabled;
    private boolean estimatesEnabled;

    /** Decisions that a row limit could change wait for the planner's estimate (see {@code RowEstimator}). */
    public PolicyGates withEstimates() {
        this.estimatesEnabled = true;
        return this;
    }

    public PolicyGates(PolicyHolder policies, TargetCatalogs catalogs) {
        this(policies, catalogs, false);
    }

    /** @param approvalsEnabled statements needing approval are parked for it, not refused */
    public PolicyGates(PolicyHolder policies, TargetCatalogs catalogs, boolean approvalsEnabled) {
        this.policies = requireNonNull(policies, "policies is null");
        this.catalogs = requireNonNull(catalogs, "catalogs is null");
        this.approvalsEnabled = approvalsEnabled;
    }

    @Override
    public StatementGate forSession(Identity identity, TargetConfig target, Map<String, String> startupParameters) {
        PolicyGate gate = new PolicyGate(policies, catalogs, target.name(), Subject.of(identity), startupParameters,
                approvalsEnabled, target.readWrite().isPresent());
        return estimatesEnabled ? gate.withEstimates() : gate;
    }

    @Override
    public Optional<ResultMasking> maskingFor(Identity identity, TargetConfig target) {
        return Optional.of(new ResultMasking(policies, catalogs, maskingKeys, target.name(), Subject.of(identity)));
    }

    /** Without a policy nothing runs: every statement is refused with a hint to configure one. */
    public static StatementGates refuseEverything() {
        Decision noPolicy = Decision.deny("warden-no-policy", "this gateway has no policy, so it runs no statement",
                "An administrator must set policy: in warden.yaml (see docs/policy.md).", "none");
        StatementGate.Verdict refusal = StatementGate.Verdict.refuse(PgError.error(SqlState.INSUFFICIENT_PRIVILEGE,
                "Access denied by rule \"warden-no-policy\": " + noPolicy.reason(), noPolicy.hint()), noPolicy);
        StatementGate gate = new StatementGate() {
            @Override
            public Verdict checkQuery(String sql) {
                return refusal;
            }

            @Override
            public Verdict checkExecute(String sql) {
                return refusal;
            }

            @Override
            public Verdict checkFunctionCall(int functionOid) {
                return refusal;
            }
        };
        return (identity, target, parameters) -> gate;
    }
}
