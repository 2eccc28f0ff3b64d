package dev.warden.masking;

import java.util.ArrayList;
import java.util.List;

/** The small JSON path language of masking rules: {@code $}, then {@code .key} or {@code [*]} steps. */
final class JsonPathSteps {
    static final String EVERY_ELEMENT = "[*]";

    private JsonPathSteps() {}

    /** The steps of {@code path}, or an empty list when it is not of that shape. */
    static List<String> parse(String path) {
        if (!path.startsWith("$") || path.length() < 3) {
            return List.of();
        }
        List<String> steps = new ArrayList<>();
        int at = 1;
        while (at < path.length()) {
            if (path.startsWith(EVERY_ELEMENT, at)) {
                steps.add(EVERY_ELEMENT);
                at += EVERY_ELEMENT.length();
            } else if (path.charAt(at) == '.') {
                int end = at + 1;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                if (end == at + 1) {
                    return List.of();
                }
                steps.add(path.substring(at + 1, end));
                at = end;
            } else {
                return List.of();
            }
        }
        return steps.stream().anyMatch(step -> !step.equals(EVERY_ELEMENT)) ? List.copyOf(steps) : List.of();
    }
}
