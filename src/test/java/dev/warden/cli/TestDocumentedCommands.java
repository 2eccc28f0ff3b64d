package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code warden ...} command shown in the README and the docs' shell examples is one the CLI
 * accepts: the subcommand exists and its options parse. (What the commands do is tested where each
 * feature is; this keeps the documentation from drifting away from the executable.)
 */
class TestDocumentedCommands {
    private static final Pattern SHELL_BLOCK = Pattern.compile("```(?:sh|console|bash)\\n(.*?)```", Pattern.DOTALL);
    /** At the start of a line, after an optional prompt and environment assignments; or after {@code docker compose run --rm}. */
    private static final Pattern COMMAND = Pattern.compile(
            "^\\s*(?:\\$ )?(?:[A-Z_]+=\\S+ )*(?:java (?:-\\S+ )*-jar \\S*warden\\.jar|warden|docker compose run --rm warden) (.+)");

    @Test
    void everyDocumentedCommandParses() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).forEach(files::add);
        }
        List<String> checked = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Path file : files) {
            Matcher blocks = SHELL_BLOCK.matcher(Files.readString(file).replace("\\\n", " "));
            while (blocks.find()) {
                for (String line : blocks.group(1).split("\n")) {
                    Matcher command = COMMAND.matcher(line);
                    if (!command.find()) {
                        continue;
                    }
                    List<String> args = words(command.group(1));
                    if (args.isEmpty() || args.get(0).startsWith("-") && !args.get(0).equals("--version")) {
                        continue;
                    }
                    checked.add(String.join(" ", args));
                    try {
                        new CommandLine(new WardenCli()).parseArgs(args.toArray(new String[0]));
                    } catch (CommandLine.ParameterException e) {
                        failures.add(file + ": warden " + String.join(" ", args) + " -> " + e.getMessage());
                    }
                }
            }
        }
        assertThat(checked).as("commands found in the docs").hasSizeGreaterThan(15);
        assertThat(failures).isEmpty();
    }

    /** Shell words up to a comment, pipe or redirection; quotes removed. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (c == '#' || c == '|' || c == '>' || c == ')' || c == '`') {
                break;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
