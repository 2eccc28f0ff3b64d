package dev.warden.recording;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A table laid out as psql's aligned format does: headers centred, columns separated by {@code |},
 * a dashed rule under the header, numbers right-aligned, NULL as an empty cell. Cells are escaped
 * with {@link TerminalText#line}. Trailing spaces are not printed.
 */
public final class TextTable {

    private final List<String> headers;
    private final List<Boolean> rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    /** @param rightAligned per column, whether it holds numbers */
    public TextTable(List<String> headers, List<Boolean> rightAligned) {
        if (headers.size() != rightAligned.size()) {
            throw new IllegalArgumentException("one alignment per header");
        }
        this.headers = headers.stream().map(TerminalText::line).toList();
        this.rightAligned = List.copyOf(rightAligned);
    }

    public static TextTable leftAligned(List<String> headers) {
        return new TextTable(headers, headers.stream().map(header -> false).toList());
    }

    /** @param cells one per column; null for SQL NULL */
    public void addRow(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("a row has " + cells.size() + " cells for " + headers.size() + " columns");
        }
        rows.add(cells.stream().map(cell -> cell == null ? "" : TerminalText.line(cell)).toList());
    }

    public void print(PrintWriter out, String indent) {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = width(headers.get(c));
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], width(row.get(c)));
            }
        }
        StringBuilder header = new StringBuilder();
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            String name = headers.get(c);
            int left = (widths[c] - width(name)) / 2;
            header.append(c == 0 ? " " : " | ").append(" ".repeat(left)).append(name)
                    .append(" ".repeat(widths[c] - width(name) - left));
            rule.append(c == 0 ? "" : "+").append("-".repeat(widths[c] + 2));
        }
        printLine(out, indent, header);
        printLine(out, indent, rule);
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < widths.length; c++) {
                String cell = row.get(c);
                String padding = " ".repeat(widths[c] - width(cell));
                line.append(c == 0 ? " " : " | ");
                line.append(rightAligned.get(c) ? padding + cell : cell + padding);
            }
            printLine(out, indent, line);
        }
    }

    private static void printLine(PrintWriter out, String indent, CharSequence line) {
        out.println((indent + line).stripTrailing());
    }

    private static int width(String text) {
        return text.codePointCount(0, text.length());
    }
}
