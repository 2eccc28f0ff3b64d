package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StartupParametersTest {

    @ParameterizedTest
    @ValueSource(strings = {"options", "role", "session_authorization", "replication",
            "OPTIONS", "Role", "Session_Authorization", "REPLICATION"})
    void privilegeOrProtocolChangingParametersAreRefusedByName(String name) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("user", "agent");
        parameters.put("application_name", "x");
        parameters.put(name, name.equalsIgnoreCase("options") ? "-c role=postgres" : "postgres");
        StartupParameters.Filtered filtered = StartupParameters.filter(parameters);
        assertThat(filtered.refusal()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("\"" + name + "\"").contains("not allowed through Warden:"));
        assertThat(filtered.forwarded()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"default_transaction_read_only", "transaction_read_only", "session_preload_libraries",
            "_pq_.something", "log_statement", "search_path_x", ""})
    void unknownParametersAreRefused(String name) {
        StartupParameters.Filtered filtered = StartupParameters.filter(Map.of("user", "agent", name, "off"));
        assertThat(filtered.refusal()).hasValueSatisfying(reason -> assertThat(reason).contains("\"" + name + "\""));
        assertThat(filtered.forwarded()).isEmpty();
    }

    @Test
    void theAllowlistPassesCaseInsensitivelyWithNamesAndValuesUntouched() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("user", "agent");
        parameters.put("database", "app");
        parameters.put("application_name", "psql");
        parameters.put("DateStyle", "ISO, MDY");
        parameters.put("client_encoding", "UTF8");
        parameters.put("TimeZone", "Europe/Berlin");
        parameters.put("EXTRA_FLOAT_DIGITS", "3");
        parameters.put("search_path", "public");
        StartupParameters.Filtered filtered = StartupParameters.filter(parameters);
        assertThat(filtered.refusal()).isEmpty();
        // user and database are the gateway's: the upstream gets the held role and the target's database.
        assertThat(filtered.forwarded()).containsExactly(
                Map.entry("application_name", "psql"),
                Map.entry("DateStyle", "ISO, MDY"),
                Map.entry("client_encoding", "UTF8"),
                Map.entry("TimeZone", "Europe/Berlin"),
                Map.entry("EXTRA_FLOAT_DIGITS", "3"),
                Map.entry("search_path", "public"));
    }

    @Test
    void everyAllowedNameIsListedInTheHint() {
        for (String name : StartupParameters.ALLOWED) {
            assertThat(StartupParameters.allowedList()).contains(name);
        }
    }
}
