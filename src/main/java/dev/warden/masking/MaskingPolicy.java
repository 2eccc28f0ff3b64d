package dev.warden.masking;

import static java.util.Objects.requireNonNull;

import dev.warden.config.SecretReference;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code masking:} section of a policy file. Immutable.
 *
 * @param columns the policy's column and JSON-path rules (built-in credential rules come on top)
 * @param detectors built-in content detectors that run on every text value
 * @param customPatterns the policy's own content detectors
 * @param exemptGroups identities in these groups see clear values (credential columns stay masked)
 * @param hashKey where the HMAC key of the {@code hash} strategy comes from; required when a rule hashes
 * @param denyPredicatesFor groups whose statements may not filter, join, sort or group on a masked
 *     column (they would learn masked values by asking yes/no questions)
 * @param trustedFunctions functions outside pg_catalog that masked identities may call; any other
 *     user-defined function could read masked columns in a body Warden cannot see, so it is denied
 */
public record MaskingPolicy(
        List<ColumnRule> columns,
        Set<DetectorKind> detectors,
        List<CustomPattern> customPatterns,
        Set<String> exemptGroups,
        Optional<SecretReference> hashKey,
        Set<String> denyPredicatesFor,
        Set<String> trustedFunctions) {

    /** A policy without a masking section: only the built-in credential rules apply. */
    public static final MaskingPolicy NONE = new MaskingPolicy(List.of(), EnumSet.noneOf(DetectorKind.class), List.of(),
            Set.of(), Optional.empty(), Set.of(), Set.of());

    public MaskingPolicy {
        columns = List.copyOf(columns);
        detectors = detectors.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(detectors));
        customPatterns = List.copyOf(customPatterns);
        exemptGroups = Set.copyOf(exemptGroups);
        requireNonNull(hashKey, "hashKey is null");
        denyPredicatesFor = Set.copyOf(denyPredicatesFor);
        trustedFunctions = Set.copyOf(trustedFunctions);
    }

    /** Whether the policy masks anything beyond the built-in credential columns. */
    public boolean isActive() {
        return !columns.isEmpty() || !detectors.isEmpty() || !customPatterns.isEmpty();
    }

    /** The exempt group that lets one of {@code groups} see clear values, if any. */
    public Optional<String> exemption(Set<String> groups) {
        return exemptGroups.stream().filter(groups::contains).sorted().findFirst();
    }

    /** Whether an identity with these groups gets the policy's masking (not just the built-in rules). */
    public boolean masks(Set<String> groups) {
        return isActive() && exemption(groups).isEmpty();
    }

    public boolean deniesPredicates(Set<String> groups) {
        return masks(groups) && denyPredicatesFor.stream().anyMatch(groups::contains);
    }

    /** The rules in force for identities with these groups: the built-in ones always, the policy's unless exempt. */
    public List<ColumnRule> rulesFor(Set<String> groups) {
        if (!masks(groups)) {
            return BuiltInMaskingRules.COLUMNS;
        }
        List<ColumnRule> all = new ArrayList<>(BuiltInMaskingRules.COLUMNS);
        all.addAll(columns);
        return all;
    }

    /** Lower-case table names ({@code schema.table}) that have a rule for these groups. */
    public Set<String> maskedTables(Set<String> groups) {
        Set<String> tables = new LinkedHashSet<>();
        for (ColumnRule rule : rulesFor(groups)) {
            tables.add(rule.schema() + "." + rule.table());
        }
        return tables;
    }
}
