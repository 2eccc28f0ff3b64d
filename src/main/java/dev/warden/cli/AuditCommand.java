package dev.warden.cli;

import dev.warden.config.SecretReference;
import dev.warden.config.SecretUnavailableException;
import dev.warden.recording.ChainVerifier;
import dev.warden.recording.CheckpointSigner;
import dev.warden.recording.RecordSource;
import dev.warden.recording.SessionInfo;
import dev.warden.recording.TerminalText;
import dev.warden.recording.VerificationProblem;
import dev.warden.recording.VerificationReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "audit",
        description = "Check the recorded sessions.",
        subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: verify");
    }

    @Command(
            name = "verify",
            description = {
                "Check that recorded sessions were not tampered with: every record present, unmodified and in order,",
                "every checkpoint signed, every ended session complete. Reports every problem found, by record."
            },
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:every session checked is intact", "1:a problem was found (the report says where)",
                "2:usage error or a checkpoint key could not be read", "4:the store could not be read"})
    static final class Verify implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(names = "--session", paramLabel = "ID", description = "verify this session only (default: all)")
        String sessionId;

        @Option(names = "--store", paramLabel = "URL", required = true, description = "the record store")
        String store;

        @Option(names = "--checkpoint-key", paramLabel = "[ID=]REF",
                description = {"a checkpoint key by reference (env:NAME or file:/path), to check checkpoint signatures;",
                    "with ID=, only for checkpoints naming that key id. Repeatable."})
        List<String> checkpointKeys = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ChainVerifier verifier;
            try {
                verifier = verifier();
            } catch (SecretUnavailableException | IllegalArgumentException e) {
                err.println("--checkpoint-key: " + e.getMessage());
                err.flush();
                return 2;
            }
            try (RecordSource source = RecordSources.open(store)) {
                Optional<List<SessionInfo>> sessions = RecordSources.select(source, sessionId, store, err);
                if (sessions.isEmpty()) {
                    return 1;
                }
                return verifyAll(out, verifier, source, sessions.get());
            } catch (RuntimeException e) {
                return RecordSources.storeFailed(err, store, e);
            }
        }

        private int verifyAll(PrintWriter out, ChainVerifier verifier, RecordSource source, List<SessionInfo> sessions) {
            int failed = 0;
            long records = 0;
            for (SessionInfo session : sessions) {
                VerificationReport report = verifier.verify(source, session);
                records += report.records();
                String id = TerminalText.line(session.sessionId());
                String counts = report.records() + (report.records() == 1 ? " record, " : " records, ")
                        + checkpoints(report);
                if (report.ok()) {
                    out.println(id + ": OK (" + counts + ")");
                    continue;
                }
                failed++;
                long total = report.problems().size() + report.problemsOmitted();
                out.println(id + ": " + total + (total == 1 ? " problem" : " problems") + " (" + counts + ")");
                for (VerificationProblem problem : report.problems()) {
                    out.println("  " + TerminalText.line(problem.message()));
                }
                if (report.problemsOmitted() > 0) {
                    out.println("  ... and " + report.problemsOmitted() + " more");
                }
            }
            out.println(failed == 0
                    ? "verified " + sessions.size() + (sessions.size() == 1 ? " session, " : " sessions, ") + records + " records: intact"
                    : failed + " of " + sessions.size() + " sessions have problems");
            out.flush();
            return failed == 0 ? 0 : 1;
        }

        private String checkpoints(VerificationReport report) {
            if (report.checkpointsUnchecked() > 0) {
                return report.checkpointsUnchecked() + " checkpoint signatures not checked (no --checkpoint-key)";
            }
            return report.checkpointsVerified() + (report.checkpointsVerified() == 1 ? " checkpoint" : " checkpoints")
                    + " verified";
        }

        private ChainVerifier verifier() throws SecretUnavailableException {
            if (checkpointKeys.isEmpty()) {
                return ChainVerifier.withoutKeys();
            }
            List<CheckpointSigner> keyed = new ArrayList<>();
            CheckpointSigner anyId = null;
            for (String option : checkpointKeys) {
                boolean bare = option.startsWith("env:") || option.startsWith("file:") || option.indexOf('=') < 0;
                if (bare) {
                    anyId = CheckpointSigner.fromReference("any", SecretReference.parse(option));
                } else {
                    int equals = option.indexOf('=');
                    keyed.add(CheckpointSigner.fromReference(option.substring(0, equals),
                            SecretReference.parse(option.substring(equals + 1))));
                }
            }
            if (anyId != null && (!keyed.isEmpty() || checkpointKeys.size() > 1)) {
                throw new IllegalArgumentException("give one key without an id, or every key with its id (ID=REF)");
            }
            return anyId != null ? ChainVerifier.withKeyForAnyId(anyId) : ChainVerifier.withKeys(keyed);
        }
    }
}
