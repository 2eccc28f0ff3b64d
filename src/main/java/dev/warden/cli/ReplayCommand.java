package dev.warden.cli;

import dev.warden.recording.FollowedRecords;
import dev.warden.recording.RecordSource;
import dev.warden.recording.SessionInfo;
import dev.warden.recording.SessionReplay;
import dev.warden.recording.TerminalText;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "replay",
        description = {
            "Print a recorded session as it happened: each statement with its decision, intent, approval and parameters,",
            "the result table as the client saw it, and how it completed, with timings."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:printed", "1:no such session", "2:usage error", "4:the store could not be read"})
final class ReplayCommand implements Callable<Integer> {

    private static final java.time.Duration FOLLOW_INTERVAL = java.time.Duration.ofMillis(250);

    /** How paced replay waits; tests replace it to observe the waits without sleeping. */
    static volatile SessionReplay.Pacer sleeper = micros -> Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "SESSION", description = "the session id")
    String sessionId;

    @Option(names = "--store", paramLabel = "URL", required = true, description = "the record store")
    String store;

    @Option(names = "--speed", paramLabel = "N", defaultValue = "0",
            description = "pace by the recorded times: 1 is real time, 2 twice as fast; 0 prints at once (default)")
    double speed;

    @Option(names = {"-f", "--follow"},
            description = "keep printing a live session's records as they are written, until it ends")
    boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--speed must be 0 or a positive number");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SessionReplay.Pacer pacer = speed == 0 ? micros -> { } : micros -> sleeper.waitMicros((long) (micros / speed));
        try (RecordSource source = RecordSources.open(store)) {
            Optional<SessionInfo> session = source.session(sessionId);
            if (session.isEmpty()) {
                err.println("no session " + TerminalText.line(sessionId) + " in " + store);
                err.flush();
                return 1;
            }
            new SessionReplay(out, pacer).print(session.get(), follow
                    ? new FollowedRecords(source, sessionId, FOLLOW_INTERVAL, duration -> Thread.sleep(duration.toMillis()))
                    : source.records(sessionId));
            return 0;
        } catch (RuntimeException e) {
            return RecordSources.storeFailed(err, store, e);
        }
    }
}
