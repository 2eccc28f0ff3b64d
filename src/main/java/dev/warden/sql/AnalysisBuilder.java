package dev.warden.sql;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.ArrayList;

/** Mutable collector for one {@link StatementAnalysis}; sets keep first-seen order and drop duplicates. */
final class AnalysisBuilder {
    final String text;
    StatementKind kind = StatementKind.UNKNOWN;
    String objectType;
    final Set<StatementKind> effects = EnumSet.noneOf(StatementKind.class);
    final Set<QualifiedName> reads = new LinkedHashSet<>();
    final Set<QualifiedName> writes = new LinkedHashSet<>();
    final Set<QualifiedName> functions = new LinkedHashSet<>();
    WhereShape where = WhereShape.NOT_APPLICABLE;
    CopySpec copy;
    final Set<String> settings = new LinkedHashSet<>();
    String notUnderstood;

    AnalysisBuilder(String text) {
        this.text = text;
    }

    AnalysisBuilder kind(StatementKind value) {
        kind = value;
        effects.add(value);
        return this;
    }

    AnalysisBuilder kind(StatementKind value, String type) {
        objectType = type;
        return kind(value);
    }

    /** Keeps the worst WHERE seen: no WHERE is worse than a constant-true one, which is worse than a real one. */
    void where(WhereShape shape) {
        if (rank(shape) > rank(where)) {
            where = shape;
        }
    }

    private static int rank(WhereShape shape) {
        return switch (shape) {
            case NOT_APPLICABLE -> 0;
            case PRESENT -> 1;
            case CONSTANT_TRUE -> 2;
            case ABSENT -> 3;
        };
    }

    /** Adds everything another analysis found (a nested or prepared statement) except its kind. */
    void merge(StatementAnalysis inner) {
        effects.addAll(inner.effects());
        reads.addAll(inner.readTables());
        writes.addAll(inner.writtenTables());
        functions.addAll(inner.functions());
        settings.addAll(inner.settings());
        where(inner.where());
        if (inner.notUnderstood().isPresent() && notUnderstood == null) {
            notUnderstood = inner.notUnderstood().get();
        }
    }

    AnalysisBuilder fail(String reason) {
        if (notUnderstood == null) {
            notUnderstood = reason;
        }
        return this;
    }

    StatementAnalysis build() {
        if (effects.isEmpty()) {
            effects.add(kind);
        }
        return new StatementAnalysis(text, kind, objectType, effects, new ArrayList<>(reads), new ArrayList<>(writes),
                new ArrayList<>(functions), where, Optional.ofNullable(copy), settings, Optional.ofNullable(notUnderstood));
    }

    static StatementAnalysis notUnderstood(String text, String reason) {
        return new AnalysisBuilder(text).fail(reason).build();
    }
}
