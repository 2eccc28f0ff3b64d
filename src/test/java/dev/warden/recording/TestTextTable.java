package dev.warden.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestTextTable {

    @Test
    void laysOutLikePsql() {
        TextTable table = new TextTable(List.of("id", "name"), List.of(true, false));
        table.addRow(List.of("1", "ada"));
        table.addRow(Arrays.asList("10", null));

        assertThat(print(table)).isEqualTo("""
                 id | name
                ----+------
                  1 | ada
                 10 |
                """);
    }

    @Test
    void escapesWhatWouldDriveTheTerminal() {
        TextTable table = TextTable.leftAligned(List.of("v"));
        table.addRow(List.of("a\u001b[2Jb\nc\u202Ed"));

        assertThat(print(table)).contains(" a\\x1b[2Jb\\nc\\u202ed");
        assertThat(TerminalText.lines("x\ny\u0007")).isEqualTo("x\ny\\x07");
    }

    private static String print(TextTable table) {
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text), "");
        return text.toString().replace(System.lineSeparator(), "\n");
    }
}
