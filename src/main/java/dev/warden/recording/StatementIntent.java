package dev.warden.recording;

import java.util.Locale;
import java.util.Optional;

/**
 * Why a client says it runs a statement, when it says so: a leading {@code /* intent: ... *}{@code /}
 * comment on the statement, or else an {@code application_name} of the form {@code intent: ...}. A
 * plain application_name (psql, DBeaver) is not an intent; it is recorded with the session start.
 */
public final class StatementIntent {

    /** Intents are for people to read; a longer one is cut so that it cannot bloat every record. */
    static final int MAX_LENGTH = 500;
    private static final String PREFIX = "intent:";

    private StatementIntent() {}

    public static Optional<String> extract(String applicationName, String statementText) {
        Optional<String> fromComment = statementText == null ? Optional.empty() : fromLeadingComments(statementText);
        if (fromComment.isPresent()) {
            return fromComment;
        }
        return applicationName == null ? Optional.empty() : afterPrefix(applicationName);
    }

    /** Looks through the comments before the first token, as PostgreSQL lexes them (block comments nest). */
    private static Optional<String> fromLeadingComments(String text) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (text.startsWith("--", i)) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end + 1;
            } else if (text.startsWith("/*", i)) {
                int end = endOfBlockComment(text, i);
                if (end < 0) {
                    return Optional.empty();
                }
                Optional<String> intent = afterPrefix(text.substring(i + 2, end - 2));
                if (intent.isPresent()) {
                    return intent;
                }
                i = end;
            } else {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The index just after the comment that starts at {@code start}, or -1 if it is not closed. */
    private static int endOfBlockComment(String text, int start) {
        int depth = 0;
        int i = start;
        while (i < text.length() - 1) {
            if (text.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (text.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return -1;
    }

    private static Optional<String> afterPrefix(String candidate) {
        String trimmed = candidate.strip();
        if (!trimmed.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
            return Optional.empty();
        }
        String intent = normalize(trimmed.substring(PREFIX.length()));
        return intent.isEmpty() ? Optional.empty() : Optional.of(intent);
    }

    /** One line of printable text: runs of whitespace and control characters become one space. */
    private static String normalize(String raw) {
        StringBuilder out = new StringBuilder();
        boolean space = false;
        for (int i = 0; i < raw.length(); ) {
            int cp = raw.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isISOControl(cp)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                if (out.length() + Character.charCount(cp) > MAX_LENGTH) {
                    break;
                }
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }
}
