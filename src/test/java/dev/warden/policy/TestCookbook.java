package dev.warden.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every policy snippet in docs/cookbook.md loads: the recipes people copy must be valid as written. */
class TestCookbook {
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyRecipeIsAValidPolicy() throws Exception {
        String cookbook = Files.readString(Path.of("docs/cookbook.md"));
        Matcher blocks = YAML_BLOCK.matcher(cookbook);
        List<String> recipes = new ArrayList<>();
        while (blocks.find()) {
            recipes.add(blocks.group(1));
        }
        assertThat(recipes).hasSizeGreaterThanOrEqualTo(7);
        for (String recipe : recipes) {
            // A list of rules stands for the rules: section of a file; a whole section is a file.
            String policy = recipe.startsWith("  - ") ? "rules:\n" + recipe
                    : recipe.contains("rules:") ? recipe : recipe + "rules: []\n";
            Policy loaded = PolicyLoader.parse(policy, Path.of("cookbook.yaml"));
            assertThat(loaded).as(recipe).isNotNull();
        }
    }
}
