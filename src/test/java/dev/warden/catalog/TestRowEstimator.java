package dev.warden.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestRowEstimator {
    @Test
    void parametersBecomeLiteralsOutsideStringsAndComments() {
        assertThat(RowEstimator.withParameters("DELETE FROM t WHERE id = $1 AND note <> '$2' /* $2 */ AND x = $2::int",
                List.of("7", "it's"))).contains("DELETE FROM t WHERE id = '7' AND note <> '$2' /* $2 */ AND x = 'it''s'::int");
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertThat(RowEstimator.withParameters("UPDATE t SET a = $1 WHERE id = 1", withNull))
                .contains("UPDATE t SET a = NULL WHERE id = 1");
        assertThat(RowEstimator.withParameters("DELETE FROM t WHERE id = $2", List.of("1"))).isEmpty();
        assertThat(RowEstimator.withParameters("DELETE FROM t WHERE note = 'unterminated", List.of())).isEmpty();
    }

    @Test
    void rowsAreReadFromBeneathTheModifyTableNode() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(RowEstimator.rowsOf(json.readTree("""
                [{"Plan": {"Node Type": "ModifyTable", "Plan Rows": 0,
                  "Plans": [{"Node Type": "Seq Scan", "Plan Rows": 4321}]}}]"""))).isEqualTo(4321);
        assertThat(RowEstimator.rowsOf(json.readTree("[{\"Plan\": {\"Node Type\": \"Result\", \"Plan Rows\": 1}}]")))
                .isEqualTo(1);
        assertThat(RowEstimator.rowsOf(json.readTree("[{}]"))).as("unreadable: assumed huge").isEqualTo(Long.MAX_VALUE);
    }
}
