package dev.warden.recording;

/**
 * Recorded text made safe to print on an auditor's terminal: recorded values are whatever a client
 * sent or a database held, and an escape sequence in them must not repaint or drive the terminal.
 * Control characters become {@code \xNN} (newline {@code \n}, tab {@code \t}, carriage return
 * {@code \r}); invisible format characters such as bidirectional overrides become {@code \}{@code uNNNN}.
 */
public final class TerminalText {

    private TerminalText() {}

    /** For one line (table cells, names): newlines are shown escaped too. */
    public static String line(String text) {
        return escape(text, false);
    }

    /** For multi-line text (statements): newlines are kept, everything else is escaped. */
    public static String lines(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepNewlines) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\n') {
                out.append(keepNewlines ? "\n" : "\\n");
            } else if (cp == '\t') {
                out.append(keepNewlines ? "\t" : "\\t");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (Character.isISOControl(cp)) {
                out.append(String.format("\\x%02x", cp));
            } else if (Character.getType(cp) == Character.FORMAT || Character.getType(cp) == Character.SURROGATE
                    || cp == 0x2028 || cp == 0x2029) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }
}
