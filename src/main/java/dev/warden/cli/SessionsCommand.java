package dev.warden.cli;

import dev.warden.recording.RecordSource;
import dev.warden.recording.SessionFilter;
import dev.warden.recording.SessionInfo;
import dev.warden.recording.TextTable;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "sessions",
        description = "List recorded sessions, newest first.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:listed", "2:usage error", "4:the store could not be read"})
final class SessionsCommand implements Callable<Integer> {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--store", paramLabel = "URL", required = true, description = "the record store")
    String store;

    @Option(names = "--identity", paramLabel = "NAME", description = "only sessions of this identity")
    String identity;

    @Option(names = "--target", paramLabel = "NAME", description = "only sessions to this target")
    String target;

    @Option(names = "--since", paramLabel = "TIME", converter = InstantConverter.class,
            description = "only sessions active at or after TIME (2026-11-25, 2026-11-25T10:00, or an instant with Z; UTC)")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = InstantConverter.class,
            description = "only sessions started before TIME")
    Instant until;

    @Option(names = "--status", paramLabel = "STATUS", description = "active or ended")
    String status;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "" + SessionFilter.DEFAULT_LIMIT,
            description = "at most N sessions (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SessionFilter filter = new SessionFilter(Optional.ofNullable(identity), Optional.ofNullable(target),
                Optional.ofNullable(since), Optional.ofNullable(until), status(), positive(limit));
        List<SessionInfo> sessions;
        try (RecordSource source = RecordSources.open(store)) {
            sessions = source.sessions(filter);
        } catch (RuntimeException e) {
            return RecordSources.storeFailed(spec.commandLine().getErr(), store, e);
        }
        TextTable table = TextTable.leftAligned(List.of("session", "identity", "target", "client", "started", "ended", "reason"));
        for (SessionInfo session : sessions) {
            table.addRow(List.of(session.sessionId(), session.identity(), session.target(), session.clientAddress(),
                    TIME.format(session.startedAt()), session.endedAt().map(TIME::format).orElse("active"),
                    session.endReason().orElse("")));
        }
        table.print(out, "");
        out.println("(" + sessions.size() + (sessions.size() == 1 ? " session)" : " sessions)"));
        out.flush();
        return 0;
    }

    private Optional<SessionFilter.Status> status() {
        if (status == null) {
            return Optional.empty();
        }
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "active" -> Optional.of(SessionFilter.Status.ACTIVE);
            case "ended" -> Optional.of(SessionFilter.Status.ENDED);
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--status must be active or ended");
        };
    }

    private int positive(int value) {
        if (value < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1");
        }
        return value;
    }

    /** A date (midnight), a local date-time, or an instant; dates and times without an offset are UTC. */
    static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                if (value.length() == 10) {
                    return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$")) {
                    return OffsetDateTime.parse(value).toInstant();
                }
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a time: use 2026-11-25, 2026-11-25T10:00 or 2026-11-25T10:00:00Z");
            }
        }
    }
}
