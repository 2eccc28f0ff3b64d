package dev.warden.cli;

import dev.warden.recording.ChainedRecord;
import dev.warden.recording.JsonLinesExport;
import dev.warden.recording.RecordSource;
import dev.warden.recording.SessionInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "export",
        description = "Write recorded sessions as JSON lines (one object per record, with its hashes) for SIEM ingestion.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:exported", "1:no such session", "2:usage error", "4:the store could not be read"})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl", description = "jsonl (the only format so far)")
    String format;

    @Option(names = "--session", paramLabel = "ID", description = "export this session only (default: all, oldest first)")
    String sessionId;

    @Option(names = "--store", paramLabel = "URL", required = true, description = "the record store")
    String store;

    @Override
    public Integer call() {
        if (!"jsonl".equals(format)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be jsonl");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (RecordSource source = RecordSources.open(store)) {
            Optional<List<SessionInfo>> selected = RecordSources.select(source, sessionId, store, err);
            if (selected.isEmpty()) {
                return 1;
            }
            // The store lists newest first; a SIEM wants events in the order they happened.
            List<SessionInfo> sessions = new ArrayList<>(selected.get());
            Collections.reverse(sessions);
            for (SessionInfo session : sessions) {
                Iterator<ChainedRecord> records = source.records(session.sessionId());
                while (records.hasNext()) {
                    out.println(JsonLinesExport.line(records.next()));
                }
            }
            out.flush();
            return 0;
        } catch (RuntimeException e) {
            return RecordSources.storeFailed(err, store, e);
        }
    }
}
