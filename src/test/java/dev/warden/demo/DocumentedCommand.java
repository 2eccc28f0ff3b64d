package dev.warden.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A command a page of the documentation shows a reader, in the page's order:
 * <ul>
 *   <li>{@link Kind#SHELL}: a line of a {@code sh}, {@code bash}, {@code shell} or {@code console} block
 *       (in console blocks, only lines after a {@code $ } prompt), with backslash continuations joined;
 *   <li>{@link Kind#SQL}: what follows a {@code shop=> } prompt in a psql transcript (a block without a
 *       language), and a whole {@code sql} block: typed into a psql session.
 * </ul>
 * Comment lines and blank lines are not commands. The text is normalized (runs of whitespace become
 * one space), which is also how {@link DocumentedCommandsIT} names the command a check runs.
 */
record DocumentedCommand(Path file, int line, Kind kind, String text) {
    enum Kind { SHELL, SQL }

    private static final Set<String> SHELL_LANGUAGES = Set.of("sh", "bash", "shell", "console");
    private static final String PSQL_PROMPT = "shop=> ";

    DocumentedCommand {
        requireNonNull(file, "file is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(text, "text is null");
    }

    /** A fenced block: its language (empty when none) and its lines, the first at {@code firstLine}. */
    private record Block(String language, int firstLine, List<String> lines) {}

    static List<DocumentedCommand> in(Path file) throws IOException {
        List<DocumentedCommand> commands = new ArrayList<>();
        for (Block block : blocks(Files.readAllLines(file))) {
            if (SHELL_LANGUAGES.contains(block.language())) {
                shellCommands(file, block, commands);
            } else if (block.language().equals("sql")) {
                commands.add(new DocumentedCommand(file, block.firstLine(), Kind.SQL, normalize(String.join(" ", block.lines()))));
            } else if (block.language().isEmpty()) {
                for (int i = 0; i < block.lines().size(); i++) {
                    if (block.lines().get(i).startsWith(PSQL_PROMPT)) {
                        commands.add(new DocumentedCommand(file, block.firstLine() + i, Kind.SQL,
                                normalize(block.lines().get(i).substring(PSQL_PROMPT.length()))));
                    }
                }
            }
        }
        return commands;
    }

    private static List<Block> blocks(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().startsWith("```")) {
                continue;
            }
            String language = lines.get(i).strip().substring(3).strip();
            int first = i + 1;
            while (i + 1 < lines.size() && !lines.get(i + 1).strip().startsWith("```")) {
                i++;
            }
            blocks.add(new Block(language, first + 1, lines.subList(first, i + 1)));
            i++;
        }
        return blocks;
    }

    private static void shellCommands(Path file, Block block, List<DocumentedCommand> commands) {
        StringBuilder pending = new StringBuilder();
        int start = 0;
        for (int i = 0; i < block.lines().size(); i++) {
            String line = block.lines().get(i).strip();
            if (pending.isEmpty()) {
                if (block.language().equals("console")) {
                    if (!line.startsWith("$ ")) {
                        continue;
                    }
                    line = line.substring(2);
                }
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                start = block.firstLine() + i;
            }
            boolean continued = line.endsWith("\\");
            pending.append(continued ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continued) {
                commands.add(new DocumentedCommand(file, start, Kind.SHELL, normalize(pending.toString())));
                pending.setLength(0);
            }
        }
    }

    private static String normalize(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + text;
    }
}
