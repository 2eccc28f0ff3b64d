package dev.warden.approval;

import static java.util.Objects.requireNonNull;

import dev.warden.config.YamlNode;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A grant asked for from inside a session, so an agent needs no other tool: a statement that starts
 * with {@code /* warden:request-grant 30m reason *\/} asks, with its own approval request, that the
 * requester may run what the same rule holds for that long. Approving the request creates the grant
 * and runs the statement.
 */
public record RequestedGrant(Duration duration, String reason) {
    /** Anchored, no nested quantifiers: linear in the comment's length. */
    private static final Pattern COMMENT = Pattern.compile(
            "\\A\\s*/\\*\\s*warden:request-grant\\s+([0-9]{1,6}(?:ms|s|m|h|d))(?:\\s+([^*]{0,1000}))?\\*/");

    public RequestedGrant {
        requireNonNull(duration, "duration is null");
        requireNonNull(reason, "reason is null");
    }

    /** The grant a statement asks for in its leading comment, if it asks. */
    public static Optional<RequestedGrant> in(String statement) {
        if (statement == null || !statement.contains("warden:request-grant")) {
            return Optional.empty();
        }
        Matcher matcher = COMMENT.matcher(statement);
        if (!matcher.lookingAt()) {
            return Optional.empty();
        }
        Optional<Duration> duration = YamlNode.parseDuration(matcher.group(1));
        String reason = matcher.group(2) == null ? "" : matcher.group(2).strip();
        return duration.filter(d -> !d.isZero()).map(d -> new RequestedGrant(d, reason.isEmpty() ? "asked for in session" : reason));
    }
}
