package dev.warden.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.sql.QualifiedName;
import dev.warden.testing.GatewayFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The catalog read from a real PostgreSQL: resolution as the server does it, views to base tables. */
class TargetCatalogsIT {
    private static GatewayFixture fixture;
    private static TargetCatalogs catalogs;
    private static CatalogSnapshot catalog;

    @BeforeAll
    static void setUp() throws Exception {
        fixture = GatewayFixture.start();
        try (Connection connection = fixture.connectDirect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA billing");
            statement.execute("CREATE TABLE public.customers (id int PRIMARY KEY, email text)");
            statement.execute("CREATE TABLE billing.payments (id int, customer_id int, amount numeric)");
            statement.execute("CREATE TABLE billing.customers (id int)");
            statement.execute("CREATE VIEW public.customer_emails AS SELECT id, email FROM customers");
            statement.execute("""
                    CREATE VIEW billing.big_spenders AS
                    SELECT e.email, p.amount FROM public.customer_emails e JOIN billing.payments p ON p.customer_id = e.id
                    WHERE p.amount > 100""");
            statement.execute("CREATE FUNCTION billing.refund(int) RETURNS void LANGUAGE sql AS 'SELECT'");
        }
        catalogs = new TargetCatalogs(fixture.config(), Duration.ofMinutes(10));
        catalog = catalogs.ready(GatewayFixture.TARGET).get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void tearDown() {
        if (catalogs != null) {
            catalogs.close();
        }
        fixture.close();
    }

    @Test
    void unqualifiedNamesResolveThroughTheSearchPathInOrder() {
        QualifiedName customers = new QualifiedName(null, "customers");
        assertThat(catalog.resolveRelation(customers, List.of("$user", "public")))
                .contains(new QualifiedName("public", "customers"));
        assertThat(catalog.resolveRelation(customers, List.of("billing", "public")))
                .contains(new QualifiedName("billing", "customers"));
        assertThat(catalog.resolveRelation(new QualifiedName(null, "payments"), List.of("$user", "public"))).isEmpty();
        assertThat(catalog.resolveRelation(new QualifiedName("billing", "payments"), List.of())).isPresent();
        // pg_catalog comes first unless the path places it.
        assertThat(catalog.resolveRelation(new QualifiedName(null, "pg_class"), List.of("public")))
                .contains(new QualifiedName("pg_catalog", "pg_class"));
    }

    @Test
    void viewsResolveToTheirBaseTablesThroughOtherViews() {
        QualifiedName bigSpenders = new QualifiedName("billing", "big_spenders");
        assertThat(catalog.isView(bigSpenders)).isTrue();
        assertThat(catalog.isView(new QualifiedName("billing", "payments"))).isFalse();
        assertThat(catalog.viewBaseTables(bigSpenders)).containsExactlyInAnyOrder(
                new QualifiedName("public", "customers"), new QualifiedName("billing", "payments"));
        assertThat(catalog.viewBaseTables(new QualifiedName("billing", "payments"))).isEmpty();
    }

    @Test
    void functionsResolveByNameAndByOid() throws Exception {
        assertThat(catalog.resolveFunction(new QualifiedName(null, "refund"), List.of("billing")))
                .contains(new QualifiedName("billing", "refund"));
        assertThat(catalog.resolveFunction(new QualifiedName(null, "pg_read_file"), List.of("public")))
                .contains(new QualifiedName("pg_catalog", "pg_read_file"));
        long oid;
        try (Connection connection = fixture.connectDirect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT 'lo_import(text)'::regprocedure::oid")) {
            rows.next();
            oid = rows.getLong(1);
        }
        assertThat(catalog.functionName(oid)).contains(new QualifiedName("pg_catalog", "lo_import"));
    }

    @Test
    void anInvalidatedCatalogPicksUpNewTables() throws Exception {
        try (Connection connection = fixture.connectDirect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE public.audit_trail (id int)");
        }
        catalogs.invalidate(GatewayFixture.TARGET);
        QualifiedName table = new QualifiedName(null, "audit_trail");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Optional<QualifiedName> resolved = Optional.empty();
        while (resolved.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            resolved = catalogs.current(GatewayFixture.TARGET).orElseThrow().resolveRelation(table, List.of("public"));
        }
        assertThat(resolved).contains(new QualifiedName("public", "audit_trail"));
    }
}
