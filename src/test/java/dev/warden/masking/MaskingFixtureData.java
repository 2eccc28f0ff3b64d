package dev.warden.masking;

import java.util.List;

/** The customers whose personal data the masking tests try to read back: every value here is fake. */
final class MaskingFixtureData {
    static final String[] SCHEMA = {
        """
        CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text UNIQUE, phone text, ssn text,
            card_number text, iban text, birth_date date, profile jsonb, notes text, api_key text, loyalty_id bigint,
            device_id uuid, balance numeric(12,2))""",
        "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, amount numeric(10,2), placed_at timestamptz)",
        "CREATE TABLE pings (id int)",
        "CREATE VIEW customer_contacts AS SELECT id, name, email, phone FROM customers",
        "CREATE VIEW order_totals AS SELECT customer_id, sum(amount) AS total FROM orders GROUP BY customer_id",
        "CREATE VIEW customer_labels AS SELECT id, upper(email) AS label, name FROM customers",
        "CREATE VIEW labels_again AS SELECT label, id FROM customer_labels",
        """
        INSERT INTO customers VALUES
          (1, 'Alice Anders', 'alice.anders@example.com', '+1 415-555-0142', '123-45-6789', '4111 1111 1111 1111',
           'DE89370400440532013000', '1985-03-14',
           '{"customer": {"email": "alice.private@example.org", "tier": "gold"}, "prefs": {"newsletter": true}}',
           'call me at 415-555-0199 or alice.alt@example.net', 'AKIAIOSFODNN7EXAMPLE', 900100200300,
           'a1b2c3d4-0000-4000-8000-000000000001', 12345.67),
          (2, 'Bob Brown', 'bob.brown@example.com', '(212) 555-0187', '234-56-7890', '5500-0000-0000-0004',
           'GB82WEST12345698765432', '1990-07-01',
           '{"customer": {"email": "bob.private@example.org", "tier": "silver"}, "prefs": {"newsletter": false}}',
           'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlLWJvYg', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
           900100200301, 'a1b2c3d4-0000-4000-8000-000000000002', 23456.78),
          (3, 'Carol Chen', 'carol.chen@example.com', '646.555.0123', '345-67-8901', '378282246310005',
           'FR1420041010050500013M02606', '1978-11-30',
           '{"customer": {"email": "carol.private@example.org", "tier": "bronze"}, "prefs": {}}',
           'badge EMP-123456, IBAN NL91ABNA0417164300', 'sk_live_0123456789abcdefghijklmn', 900100200302,
           'a1b2c3d4-0000-4000-8000-000000000003', 34567.89)""",
        "INSERT INTO orders SELECT i, 1 + i % 3, i * 10.25, timestamptz '2024-01-01 10:00:00+00' + i * interval '1 day' FROM generate_series(1, 12) i",
        """
        CREATE FUNCTION ping_customer() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_notify('pings', (SELECT email || ' ' || ssn FROM customers WHERE id = NEW.id));
          RAISE NOTICE 'pinged %', (SELECT card_number FROM customers WHERE id = NEW.id);
          RETURN NEW;
        END $$""",
        "CREATE TRIGGER ping_after AFTER INSERT ON pings FOR EACH ROW EXECUTE FUNCTION ping_customer()",
        "ANALYZE customers",
    };

    /** Every value that must never reach a masked client, in any form. */
    static final List<String> SENSITIVE = List.of(
            "alice.anders@example.com", "bob.brown@example.com", "carol.chen@example.com",
            "+1 415-555-0142", "(212) 555-0187", "646.555.0123",
            "123-45-6789", "234-56-7890", "345-67-8901",
            "4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005",
            "DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606",
            "1985-03-14", "1990-07-01", "1978-11-30",
            "alice.private@example.org", "bob.private@example.org", "carol.private@example.org",
            "415-555-0199", "alice.alt@example.net", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlLWJvYg",
            "EMP-123456", "NL91ABNA0417164300",
            "AKIAIOSFODNN7EXAMPLE", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "sk_live_0123456789abcdefghijklmn",
            "900100200300", "900100200301", "900100200302",
            "a1b2c3d4-0000-4000-8000-000000000001", "a1b2c3d4-0000-4000-8000-000000000002",
            "a1b2c3d4-0000-4000-8000-000000000003", "12345.67", "23456.78", "34567.89");

    static String policy(String keyFile, String extraGroups) {
        return """
                groups:
                  %s
                targets:
                  "*": { default: deny }
                rules:
                  - name: allow-everything-else
                    outcome: allow
                    match:
                      statements: [select, show, explain, transaction, prepare, execute, deallocate, declare_cursor, fetch,
                                   close_cursor, listen, notify, unlisten, insert, update, delete, copy_to, create, set, reset,
                                   comment, do, call]
                    reason: "The masking tests try every route; masking is the wall under test."
                masking:
                  key: file:%s
                  exempt_groups: [pii-readers]
                  deny_predicates_on_masked: [blind-agents]
                  detectors: all
                  custom_detectors:
                    - name: employee-badge
                      pattern: "(?i)EMP-[0-9]{6}"
                  columns:
                    - { column: public.customers.email, strategy: hash }
                    - { column: public.customers.phone, strategy: partial, keep_last: 4 }
                    - { column: public.customers.ssn, strategy: full }
                    - { column: public.customers.card_number, strategy: partial, keep_last: 4 }
                    - { column: public.customers.iban, strategy: full }
                    - { column: public.customers.birth_date, strategy: full }
                    - { column: public.customers.api_key, strategy: "null" }
                    - { column: public.customers.loyalty_id, strategy: hash }
                    - { column: public.customers.device_id, strategy: hash }
                    - { column: public.customers.balance, strategy: hash }
                  json_paths:
                    - { column: public.customers.profile, path: $.customer.email, strategy: full }
                """.formatted(extraGroups, keyFile);
    }

    private MaskingFixtureData() {}
}
