package dev.warden.policy;

import dev.warden.sql.CopySpec;
import dev.warden.sql.QualifiedName;
import dev.warden.sql.StatementAnalysis;
import dev.warden.sql.StatementKind;
import dev.warden.sql.WhereShape;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Hand-built analyses, as the analyser would produce them, so that policy is tested without the
 * analyser. Also reads the compact facts notation of the decision corpus:
 * {@code kind=delete; writes=public.customers; where=absent}.
 */
final class TestingStatements {

    private String text;
    private final StatementKind kind;
    private String objectType;
    private final Set<StatementKind> effects = EnumSet.noneOf(StatementKind.class);
    private final List<QualifiedName> reads = new ArrayList<>();
    private final List<QualifiedName> writes = new ArrayList<>();
    private final List<QualifiedName> functions = new ArrayList<>();
    private WhereShape where = WhereShape.NOT_APPLICABLE;
    private CopySpec copy;
    private final Set<String> settings = new LinkedHashSet<>();
    private String notUnderstood;

    private TestingStatements(StatementKind kind) {
        this.kind = kind;
        this.effects.add(kind);
    }

    static TestingStatements statement(StatementKind kind) {
        return new TestingStatements(kind);
    }

    TestingStatements text(String value) {
        text = value;
        return this;
    }

    TestingStatements object(String value) {
        objectType = value;
        return this;
    }

    TestingStatements effects(StatementKind... values) {
        effects.addAll(List.of(values));
        return this;
    }

    TestingStatements reads(String... names) {
        for (String name : names) {
            reads.add(name(name));
        }
        return this;
    }

    TestingStatements writes(String... names) {
        for (String name : names) {
            writes.add(name(name));
        }
        return this;
    }

    TestingStatements functions(String... names) {
        for (String name : names) {
            functions.add(name(name));
        }
        return this;
    }

    TestingStatements where(WhereShape value) {
        where = value;
        return this;
    }

    TestingStatements copy(CopySpec.Direction direction, CopySpec.Endpoint endpoint) {
        copy = new CopySpec(direction, endpoint, endpoint == CopySpec.Endpoint.FILE || endpoint == CopySpec.Endpoint.PROGRAM
                ? "/tmp/x" : null);
        return this;
    }

    TestingStatements settings(String... names) {
        settings.addAll(List.of(names));
        return this;
    }

    TestingStatements notUnderstood(String reason) {
        notUnderstood = reason;
        return this;
    }

    StatementAnalysis build() {
        String statementText = text != null ? text : kind.name().toLowerCase(Locale.ROOT) + " ...";
        return new StatementAnalysis(statementText, kind, objectType, effects, reads, writes, functions, where,
                Optional.ofNullable(copy), settings, Optional.ofNullable(notUnderstood));
    }

    /** {@code public.t} is resolved; a bare {@code t} is a name whose schema the analyser could not resolve. */
    static QualifiedName name(String text) {
        int dot = text.indexOf('.');
        return dot < 0 ? new QualifiedName(null, text) : new QualifiedName(text.substring(0, dot), text.substring(dot + 1));
    }

    /**
     * Reads {@code key=value; key=value} facts: kind, text, object, effects, reads, writes, functions
     * (comma-separated), where, copy ({@code from:program}), settings, unknown (the analyser's reason).
     */
    static StatementAnalysis parse(String facts) {
        TestingStatements builder = null;
        List<String[]> pairs = new ArrayList<>();
        for (String part : facts.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int equals = part.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("not key=value: " + part);
            }
            String key = part.substring(0, equals).trim();
            String value = part.substring(equals + 1).trim();
            if (key.equals("kind")) {
                builder = statement(kind(value));
            } else {
                pairs.add(new String[] {key, value});
            }
        }
        if (builder == null) {
            throw new IllegalArgumentException("no kind in " + facts);
        }
        for (String[] pair : pairs) {
            String value = pair[1];
            String[] list = value.split(",");
            switch (pair[0]) {
                case "text" -> builder.text(value);
                case "object" -> builder.object(value);
                case "effects" -> {
                    for (String effect : list) {
                        builder.effects(kind(effect.trim()));
                    }
                }
                case "reads" -> builder.reads(trim(list));
                case "writes" -> builder.writes(trim(list));
                case "functions" -> builder.functions(trim(list));
                case "where" -> builder.where(WhereShape.valueOf(value.toUpperCase(Locale.ROOT)));
                case "copy" -> {
                    String[] spec = value.split(":");
                    builder.copy(CopySpec.Direction.valueOf(spec[0].toUpperCase(Locale.ROOT)),
                            CopySpec.Endpoint.valueOf(spec[1].toUpperCase(Locale.ROOT)));
                }
                case "settings" -> builder.settings(trim(list));
                case "unknown" -> builder.notUnderstood(value);
                default -> throw new IllegalArgumentException("unknown fact " + pair[0]);
            }
        }
        return builder.build();
    }

    private static StatementKind kind(String name) {
        return StatementKind.valueOf(name.toUpperCase(Locale.ROOT));
    }

    private static String[] trim(String[] values) {
        String[] trimmed = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            trimmed[i] = values[i].trim();
        }
        return trimmed;
    }
}
