package dev.warden.proxy;

import dev.warden.config.TargetConfig;
import dev.warden.identity.Identity;
import java.util.Map;
import java.util.Optional;

/** Makes the {@link StatementGate} of each new session. */
@FunctionalInterface
public interface StatementGates {

    /**
     * @param startupParameters the client's startup parameters as forwarded (application_name ...)
     */
    StatementGate forSession(Identity identity, TargetConfig target, Map<String, String> startupParameters);

    /**
     * The result masking of a new session, or empty when results pass unmasked (no policy: the bare
     * relay and the refuse-everything gate).
     */
    default Optional<ResultMasking> maskingFor(Identity identity, TargetConfig target) {
        return Optional.empty();
    }

    /**
     * Lets every statement through: the bare data path, for tests of the relay itself and for the
     * benchmark of pass-through cost. Never the default of a configured gateway.
     */
    static StatementGates passThrough() {
        StatementGate open = new StatementGate() {
            @Override
            public Verdict checkQuery(String sql) {
                return Verdict.ALLOW;
            }

            @Override
            public Verdict checkExecute(String sql) {
                return Verdict.ALLOW;
            }

            @Override
            public Verdict checkFunctionCall(int functionOid) {
                return Verdict.ALLOW;
            }
        };
        return (identity, target, parameters) -> open;
    }
}
