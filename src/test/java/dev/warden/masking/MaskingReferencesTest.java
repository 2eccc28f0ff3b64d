package dev.warden.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaskingReferencesTest {
    private static final MaskedReferences REFERENCES = new MaskedReferences(Map.of(
            "customers", Set.of("email", "ssn"), "customer_contacts", Set.of("id", "name", "email")));

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
        "true|false|SELECT upper(email) FROM customers",
        "true|false|SELECT c.email FROM customers c",
        "true|false|SELECT row_to_json(c) FROM customers c",
        "true|false|SELECT c::text FROM customers AS c",
        "true|false|SELECT to_jsonb(c.*) FROM customers c",
        "true|false|SELECT * FROM customers",
        "true|false|TABLE customers",
        "true|false|SELECT customers FROM customers",
        "true|false|SELECT 1, customers::text FROM customers",
        "true|false|SELECT json_agg(x) FROM (SELECT c FROM customers c) x",
        "true|false|SELECT \"email\" FROM \"customers\"",
        "true|false|SELECT length(name) FROM customer_contacts",
        "true|true|SELECT id FROM customers WHERE email LIKE 'a%'",
        "true|true|SELECT id FROM customers ORDER BY ssn",
        "true|true|SELECT o.id FROM orders o JOIN customers c ON c.email = o.note",
        "true|true|SELECT id FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE ssn = '1')",
        "false|false|SELECT count(*) FROM customers",
        "false|false|SELECT count(*) AS customers FROM customers",
        "false|false|SELECT id AS email FROM customers",
        "false|false|SELECT CAST(id AS text) AS ssn FROM customers AS c",
        "true|false|SELECT email AS customers FROM customers",
        "true|false|SELECT c AS customers FROM customers c",
        "true|false|CREATE TABLE x AS TABLE customers",
        "false|false|SELECT id, name FROM customers, orders",
        "false|false|SELECT id * 2 FROM customers",
        "false|false|SELECT email FROM orders",
        "false|false|SELECT c.id FROM customers c WHERE c.id = 1",
        "false|false|SELECT 'email' FROM customers",
    })
    void findsWhatReachesMaskedData(boolean reaches, boolean predicate, String sql) {
        MaskedReferences.Found found = REFERENCES.find(sql);
        assertThat(found.maskedData()).isEqualTo(reaches);
        assertThat(found.predicate()).isEqualTo(predicate);
    }
}
