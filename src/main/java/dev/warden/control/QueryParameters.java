package dev.warden.control;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads optional query parameters. A parameter that is present but malformed is answered with 400
 * saying what was expected, and the reader returns null so the handler stops: a filter the caller
 * meant must never be dropped silently, or they would read more (or other) data than they asked for.
 */
final class QueryParameters {
    /** Times are kept in microseconds since 1970; years past 9999 are typing mistakes, not queries. */
    private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    private QueryParameters() {}

    /** Empty when absent or blank. */
    static Optional<String> text(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).filter(value -> !value.isBlank());
    }

    /** Empty when absent; null (after answering 400) when not a whole number from min to max. */
    static Optional<Integer> number(Context ctx, String name, int min, int max) {
        Optional<String> text = text(ctx, name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value >= min && value <= max) {
                return Optional.of(value);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        ControlPlane.problem(ctx, 400, name + " must be a whole number from " + min + " to " + max);
        return null;
    }

    /** Empty when absent; null (after answering 400) when not an ISO-8601 instant such as 2025-01-31T09:00:00Z. */
    static Optional<Instant> instant(Context ctx, String name) {
        Optional<String> text = text(ctx, name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            Instant instant = Instant.parse(text.get());
            if (!instant.isBefore(Instant.EPOCH) && instant.isBefore(LATEST)) {
                return Optional.of(instant);
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        ControlPlane.problem(ctx, 400, name + " must be an ISO-8601 instant in UTC from 1970 to 9999, such as 2025-01-31T09:00:00Z");
        return null;
    }
}
