package dev.warden.masking;

/**
 * The shape of a COPY TO STDOUT stream, read from the statement: PostgreSQL's CopyOutResponse says
 * text or binary but not CSV, delimiter or header.
 */
public record CopyFormat(Kind kind, byte delimiter, boolean header) {
    public enum Kind { TEXT, CSV, BINARY }

    public static final CopyFormat TEXT = new CopyFormat(Kind.TEXT, (byte) '\t', false);
}
