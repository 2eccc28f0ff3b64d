package dev.warden.proxy;

import static java.util.Objects.requireNonNull;

import dev.warden.recording.RecordSink;
import dev.warden.recording.SessionLog;

/**
 * How sessions are recorded: where records go (the store's writer), how much of each result is kept,
 * and how the chain is signed.
 */
public record RecordingSetup(RecordSink sink, SessionRecording.Caps caps, SessionLog.CheckpointPolicy checkpoints) {
    public static final int DEFAULT_RESULT_ROWS = 100;
    public static final int DEFAULT_RESULT_BYTES = 64 * 1024;

    public RecordingSetup {
        requireNonNull(sink, "sink is null");
        requireNonNull(caps, "caps is null");
        requireNonNull(checkpoints, "checkpoints is null");
    }

    public static RecordingSetup of(RecordSink sink, int resultRows, int resultBytes, SessionLog.CheckpointPolicy checkpoints) {
        return new RecordingSetup(sink, new SessionRecording.Caps(resultRows, resultBytes), checkpoints);
    }
}
