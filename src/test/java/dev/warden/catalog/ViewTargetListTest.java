package dev.warden.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewTargetListTest {
    /**
     * {@code ev_action} of {@code CREATE VIEW v AS SELECT id, upper(email) AS e, name AS n,
     * (SELECT max(email) FROM c c2) AS m FROM (SELECT * FROM c) s} on PostgreSQL 15, shortened where
     * it does not matter: the subquery in FROM and the sublink in the target list carry target
     * entries of their own, deeper down, which must not be taken for the view's.
     */
    private static final String VIEW = "({QUERY :commandType 1 :rtable ({RANGETBLENTRY :alias {ALIAS :aliasname s :colnames <>}"
            + " :eref {ALIAS :aliasname s :colnames (\"id\" \"email\" \"name\")} :rtekind 1 :subquery {QUERY :commandType 1"
            + " :targetList ({TARGETENTRY :expr {VAR :varno 1 :varattno 1} :resno 1 :resname id :ressortgroupref 0"
            + " :resorigtbl 16384 :resorigcol 1 :resjunk false}) :override 0}}) :jointree {FROMEXPR :fromlist"
            + " ({RANGETBLREF :rtindex 3}) :quals <>} :targetList ({TARGETENTRY :expr {VAR :varno 3 :varattno 1} :resno 1"
            + " :resname id :ressortgroupref 0 :resorigtbl 16384 :resorigcol 1 :resjunk false} {TARGETENTRY :expr"
            + " {FUNCEXPR :funcid 871 :args ({VAR :varno 3 :varattno 2})} :resno 2 :resname e :ressortgroupref 0"
            + " :resorigtbl 0 :resorigcol 0 :resjunk false} {TARGETENTRY :expr {VAR :varno 3 :varattno 3} :resno 3"
            + " :resname n\\ \\{x\\} :ressortgroupref 0 :resorigtbl 16384 :resorigcol 3 :resjunk false} {TARGETENTRY :expr"
            + " {SUBLINK :subLinkType 4 :subselect {QUERY :commandType 1 :targetList ({TARGETENTRY :expr {AGGREF"
            + " :aggfnoid 2129 :args ({TARGETENTRY :expr {VAR :varno 1 :varattno 2} :resno 1 :resname <>"
            + " :resorigtbl 0 :resorigcol 0 :resjunk false})} :resno 1 :resname max :resorigtbl 0 :resorigcol 0"
            + " :resjunk false})} :location 58} :resno 4 :resname m :ressortgroupref 0 :resorigtbl 0 :resorigcol 0"
            + " :resjunk false}) :override 0 :onConflict <>})";

    @Test
    void readsTheOriginOfEachColumnOfTheOuterQueryOnly() {
        Map<Integer, CatalogSnapshot.ColumnReference> origins = ViewTargetList.parse(VIEW).orElseThrow();
        assertThat(origins).containsExactly(
                Map.entry(1, new CatalogSnapshot.ColumnReference(16384, 1)),
                Map.entry(2, new CatalogSnapshot.ColumnReference(0, 0)),
                Map.entry(3, new CatalogSnapshot.ColumnReference(16384, 3)),
                Map.entry(4, new CatalogSnapshot.ColumnReference(0, 0)));
    }

    @Test
    void anythingElseIsUnknown() {
        assertThat(ViewTargetList.parse("")).isEmpty();
        assertThat(ViewTargetList.parse("({QUERY :commandType 1 :targetList ({TARGETENTRY :resno 1 :resorigtbl 5")).isEmpty();
        assertThat(ViewTargetList.parse("({QUERY :targetList ({TARGETENTRY :resname x :resjunk false})})")).isEmpty();
    }
}
