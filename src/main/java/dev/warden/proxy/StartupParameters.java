package dev.warden.proxy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which client startup parameters may reach the server. Parameters that change privileges
 * or the protocol ({@code options} can carry any {@code -c setting}, {@code role},
 * {@code session_authorization}, {@code replication}) are refused by name rather than dropped, so the
 * client learns why it did not get what it asked for. Anything not known to be harmless is refused too.
 */
final class StartupParameters {
    /** Refused with a specific reason. */
    private static final Map<String, String> REFUSED = Map.of(
            "options", "it can set any server setting, including ones that change privileges",
            "role", "it would change the role the session runs as",
            "session_authorization", "it would change the role the session runs as",
            "replication", "replication connections are not supported through Warden");

    /** Session settings with no bearing on privileges, accepted case-insensitively like GUC names. */
    static final Set<String> ALLOWED = Set.of(
            "application_name",
            "client_encoding",
            "datestyle",
            "intervalstyle",
            "timezone",
            "extra_float_digits",
            "bytea_output",
            "lc_messages",
            "lc_monetary",
            "lc_numeric",
            "lc_time",
            "statement_timeout",
            "lock_timeout",
            "idle_in_transaction_session_timeout",
            "search_path");

    /** What the client asked for, split into what the server will see and the first refusal. */
    record Filtered(Map<String, String> forwarded, Optional<String> refusal) {}

    private StartupParameters() {}

    /** Filters everything but {@code user} and {@code database}, which the gateway consumes itself. */
    static Filtered filter(Map<String, String> parameters) {
        Map<String, String> forwarded = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : parameters.entrySet()) {
            String name = entry.getKey();
            String key = name.toLowerCase(java.util.Locale.ROOT);
            if (key.equals("user") || key.equals("database")) {
                continue;
            }
            String reason = REFUSED.get(key);
            if (reason != null) {
                return new Filtered(Map.of(), Optional.of("startup parameter \"" + name + "\" is not allowed through Warden: " + reason));
            }
            if (!ALLOWED.contains(key)) {
                return new Filtered(Map.of(), Optional.of("startup parameter \"" + name + "\" is not allowed through Warden"));
            }
            forwarded.put(name, entry.getValue());
        }
        return new Filtered(forwarded, Optional.empty());
    }

    static String allowedList() {
        return String.join(", ", new TreeSet<>(ALLOWED));
    }
}
