package dev.warden.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.warden.config.ConfigException;
import dev.warden.config.ConfigProblem;
import dev.warden.policy.Policy;
import dev.warden.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaskingPolicyReaderTest {
    private static final String HEAD = "rules: []\nmasking:\n";

    @Test
    void aFullSectionIsRead() throws Exception {
        Policy policy = PolicyLoader.parse(HEAD + """
                  key: env:WARDEN_MASKING_KEY
                  exempt_groups: [pii-readers]
                  deny_predicates_on_masked: [blind]
                  trusted_functions: [public.order_total]
                  detectors: [email, card_number]
                  custom_detectors:
                    - { name: badge, pattern: "EMP-[0-9]{6}" }
                  columns:
                    - { column: public.customers.email, strategy: hash }
                    - { column: public.customers.card, strategy: partial, keep_last: 4 }
                  json_paths:
                    - { column: public.customers.profile, path: "$.items[*].email", strategy: full }
                """, Path.of("p.yaml"));
        MaskingPolicy masking = policy.masking();
        assertThat(masking.columns()).extracting(ColumnRule::qualifiedColumn)
                .containsExactly("public.customers.email", "public.customers.card", "public.customers.profile");
        assertThat(masking.columns().get(1).keepLast()).isEqualTo(4);
        assertThat(masking.columns().get(2).jsonPath()).containsExactly("items", "[*]", "email");
        assertThat(masking.detectors()).containsExactlyInAnyOrder(DetectorKind.EMAIL, DetectorKind.CARD_NUMBER);
        assertThat(masking.customPatterns()).extracting(CustomPattern::name).containsExactly("badge");
        assertThat(masking.masks(Set.of("agents"))).isTrue();
        assertThat(masking.masks(Set.of("pii-readers"))).isFalse();
        assertThat(masking.rulesFor(Set.of("pii-readers"))).isEqualTo(BuiltInMaskingRules.COLUMNS);
        assertThat(masking.deniesPredicates(Set.of("blind"))).isTrue();
    }

    @Test
    void everyProblemIsReportedWithFileLineAndColumn() {
        ConfigException problems = catchThrowableOfType(ConfigException.class, () -> PolicyLoader.parse(HEAD + """
                  detectors: [email, fingerprints]
                  custom_detectors:
                    - { name: wide, pattern: ".*" }
                    - { name: broken, pattern: "(" }
                  columns:
                    - { column: customers.email, strategy: hash }
                    - { column: public.customers.card, strategy: partial }
                    - { column: public.customers.ssn, strategy: scramble }
                    - { column: public.customers.x, strategy: full, keep_last: 2 }
                    - { column: public.customers.y, strategy: hash }
                  json_paths:
                    - { column: public.customers.profile, path: "customer.email", strategy: full }
                  colums: []
                """, Path.of("p.yaml")));
        List<String> messages = problems.problems().stream().map(ConfigProblem::toString).toList();
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("p.yaml:3:22: masking.detectors[1]: must be one of"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("masking.custom_detectors[0].pattern: matches the empty string"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("masking.custom_detectors[1].pattern: is not a valid regular expression"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("masking.columns[0].column: must be schema.table.column"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("masking.columns[1].keep_last: is required with strategy partial"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("masking.columns[2].strategy: must be one of full, partial, null, hash"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("masking.columns[3].keep_last: applies only to strategy partial"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("masking.json_paths[0].path: must be a JSON path"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("masking.colums: unknown key"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("masking.key: is required when a rule uses strategy hash"));
        assertThat(messages).allSatisfy(m -> assertThat(m).matches("p\\.yaml:\\d+:\\d+: .*"));
    }

    @Test
    void aLiteralKeyIsRefusedWithoutRepeatingIt() {
        ConfigException problems = catchThrowableOfType(ConfigException.class,
                () -> PolicyLoader.parse(HEAD + "  key: hunter2-literal-secret\n", Path.of("p.yaml")));
        assertThat(problems.problems().toString()).contains("masking.key").doesNotContain("hunter2");
    }
}
