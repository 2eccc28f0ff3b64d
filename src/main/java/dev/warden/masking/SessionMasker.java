package dev.warden.masking;

import dev.warden.bounded.LeastRecentlyUsedMap;
import dev.warden.catalog.CatalogSnapshot;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Masking for one session under one policy version: plans results, masks rows, COPY data and the
 * server's other texts. Pure (bytes in, bytes out) and not thread-safe: a session's event loop owns it.
 */
public final class SessionMasker {
    private static final int REFERENCE_CACHE_ENTRIES = 128;

    private final MaskingPolicy policy;
    private final boolean masks;
    private final List<ColumnRule> rules;
    private final ContentScanner scanner;
    private final KnownValues known = new KnownValues();
    private final RowMasker rows;
    private final MessageMasker messages;
    private final StatementMemory statements = new StatementMemory();
    private CatalogSnapshot resolvedFor;
    private ResolvedMasking resolved;
    /** The quoted names of the statement {@code namesOf} under {@code namesCatalog} (see {@link #quotedNames}). */
    private QuotedNames names;
    private String namesOf;
    private CatalogSnapshot namesCatalog;
    private final Set<String> maskedTableNames;
    private final Map<String, Boolean> textReaches = new LeastRecentlyUsedMap<>(REFERENCE_CACHE_ENTRIES);

    /**
     * @param groups the subject's groups (from its configuration and the policy file)
     * @param key the hash key, resolved; null when the policy has none
     */
    public SessionMasker(MaskingPolicy policy, Set<String> groups, MaskingKey key) {
        this.policy = policy;
        this.masks = policy.masks(groups);
        this.rules = policy.rulesFor(groups);
        this.scanner = masks ? new ContentScanner(policy.detectors(), policy.customPatterns())
                : new ContentScanner(Set.of(), List.of());
        ValueMasker values = new ValueMasker(key);
        this.rows = new RowMasker(values, scanner, known);
        this.messages = new MessageMasker(scanner, known);
        Set<String> names = new HashSet<>();
        for (ColumnRule rule : rules) {
            names.add(rule.table());
        }
        this.maskedTableNames = Set.copyOf(names);
    }

    public MaskingPolicy policy() {
        return policy;
    }

    /** Whether the policy's rules and detectors apply (false: only the built-in credential rules). */
    public boolean masksPolicyRules() {
        return masks;
    }

    /** Whether every value must be looked at (content detectors run). */
    public boolean scansEverything() {
        return !scanner.isEmpty();
    }

    /** Whether messages outside results (errors, notices, notifications) must be looked at. */
    public boolean masksMessages() {
        return masks;
    }

    /** The rules resolved against this catalog snapshot (cached while the snapshot stays the same). */
    public ResolvedMasking resolve(CatalogSnapshot catalog) {
        if (catalog != resolvedFor) {
            resolvedFor = catalog;
            resolved = new ResolvedMasking(rules, catalog);
            textReaches.clear();
        }
        return resolved;
    }

    /** Plans a result of the statement {@code sql} (null when unknown: then it counts as reaching masked data). */
    public MaskPlan plan(List<ResultColumn> columns, ResolvedMasking masking, String sql) {
        return MaskPlan.of(columns, masking, reaches(masking, sql), scansEverything());
    }

    /** Whether a statement's text reaches masked data, cursors and SQL-level prepared statements followed. */
    public boolean reaches(ResolvedMasking masking, String sql) {
        if (sql == null) {
            return true;
        }
        Boolean text = textReaches.get(sql);
        if (text == null) {
            text = masking.references().find(sql).maskedData();
            textReaches.put(sql, text);
        }
        return statements.reaches(sql, text);
    }

    /** The masked DataRow body, or null when unchanged. */
    public byte[] maskRow(MaskPlan plan, byte[] body, int from, int to) {
        return rows.mask(plan, body, from, to);
    }

    /**
     * The masked DataRow body in a buffer the next row reuses, or null when unchanged: for the relay,
     * which copies it into the message it sends.
     */
    public RowRewrite rewriteRow(MaskPlan plan, byte[] body, int from, int to) {
        return rows.rewrite(plan, body, from, to);
    }

    public CopyRowMasker copy(CopyFormat format, MaskPlan plan) {
        return new CopyRowMasker(format, plan, rows, scanner);
    }

    /**
     * ErrorResponse or NoticeResponse body, masked; null when unchanged.
     *
     * @param statementReaches the statement behind it reaches masked data (its quoted values are masked,
     *     except the names it or the catalog holds: see {@link QuotedNames})
     * @param sql the statement behind it, null when unknown
     * @param catalog the target's catalog, null when not loaded
     */
    public byte[] maskNoticeFields(byte[] body, int from, int to, boolean statementReaches, String sql,
            CatalogSnapshot catalog) {
        QuotedNames names = statementReaches ? quotedNames(sql, catalog) : QuotedNames.none();
        return messages.maskFields(body, from, to, maskedTableNames, statementReaches, names);
    }

    /** The names of the last statement that drew a message, kept: a statement may raise many notices. */
    private QuotedNames quotedNames(String sql, CatalogSnapshot catalog) {
        if (names == null || !Objects.equals(namesOf, sql) || namesCatalog != catalog) {
            names = QuotedNames.of(sql, catalog);
            namesOf = sql;
            namesCatalog = catalog;
        }
        return names;
    }

    public byte[] maskNotification(byte[] body, int from, int to) {
        return messages.maskNotification(body, from, to);
    }

    public byte[] maskParameterStatus(byte[] body, int from, int to) {
        return messages.maskParameterStatus(body, from, to);
    }

    public byte[] maskFunctionResult(byte[] body, int from, int to) {
        return messages.maskFunctionResult(body, from, to);
    }

    /** The exempt group of this subject, for the session record. */
    public static Optional<String> exemption(MaskingPolicy policy, Set<String> groups) {
        return policy.isActive() ? policy.exemption(groups) : Optional.empty();
    }
}
