package dev.warden.recording;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The outcome of verifying one session.
 *
 * @param records how many records were read
 * @param checkpointsVerified checkpoints whose signature was checked and held
 * @param checkpointsUnchecked checkpoints whose signature could not be checked (no key given)
 * @param problems in the order found, at most {@link ChainVerifier#MAX_PROBLEMS}
 * @param problemsOmitted problems found beyond that
 */
public record VerificationReport(String sessionId, long records, int checkpointsVerified, int checkpointsUnchecked,
        List<VerificationProblem> problems, long problemsOmitted) {

    public VerificationReport {
        requireNonNull(sessionId, "sessionId is null");
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
