package dev.warden.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.policy.Decision;
import dev.warden.recording.RecordBodies.Column;
import dev.warden.recording.RecordBodies.Format;
import dev.warden.recording.RecordBodies.Parameter;
import dev.warden.recording.RecordBodies.ProtocolPath;
import dev.warden.recording.RecordBodies.StatementError;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestRecordBodies {

    @Test
    void sessionStart() {
        assertThat(RecordBodies.sessionStart("alice", "oidc", List.of("dev"), "10.0.0.5:5000", true, "appdb", null))
                .isEqualTo("{\"application_name\":null,\"auth_method\":\"oidc\",\"client_address\":\"10.0.0.5:5000\","
                        + "\"groups\":[\"dev\"],\"identity\":\"alice\",\"target\":\"appdb\",\"tls\":true}");
    }

    @Test
    void statementWithParametersDecisionIntentAndApproval() {
        String body = RecordBodies.statement(ProtocolPath.FUNCTION_CALL, "SELECT $1, $2, $3",
                List.of(Parameter.text(25, "it's"), Parameter.binary(17, new byte[] {1, 2}), Parameter.text(23, null)),
                Decision.allow("r1", "ok", "v1", List.of()), "why", "apr-9");

        assertThat(body).isEqualTo("{\"approval_id\":\"apr-9\","
                + "\"decision\":{\"outcome\":\"allow\",\"policy_version\":\"v1\",\"reason\":\"ok\",\"rule\":\"r1\"},"
                + "\"intent\":\"why\","
                + "\"parameters\":[{\"format\":\"text\",\"type_oid\":25,\"value\":\"it's\"},"
                + "{\"format\":\"binary\",\"type_oid\":17,\"value\":\"AQI=\"},"
                + "{\"format\":\"text\",\"type_oid\":23,\"value\":null}],"
                + "\"protocol_path\":\"function_call\",\"text\":\"SELECT $1, $2, $3\"}");
    }

    @Test
    void resultAndCompletion() {
        assertThat(RecordBodies.result(List.of(new Column("n", 23, Format.TEXT)), List.of(Arrays.asList((String) null)), false, 1))
                .isEqualTo("{\"columns\":[{\"format\":\"text\",\"name\":\"n\",\"type_oid\":23}],\"row_count\":1,"
                        + "\"rows\":[[null]],\"truncated\":false}");
        assertThat(RecordBodies.completion(null, null, 12, new StatementError("42501", "no")))
                .isEqualTo("{\"command_tag\":null,\"duration_micros\":12,\"error\":{\"message\":\"no\",\"sqlstate\":\"42501\"},"
                        + "\"rows\":null}");
        assertThatThrownBy(() -> RecordBodies.result(List.of(new Column("n", 23, Format.TEXT)), List.of(List.of("1", "2")), false, 1))
                .hasMessageContaining("2 values for 1 columns");
    }

    @Test
    void endApprovalAndCheckpoint() {
        assertThat(RecordBodies.sessionEnd("idle timeout")).isEqualTo("{\"reason\":\"idle timeout\"}");
        assertThat(RecordBodies.approval("apr-1", "approved", "bob", null))
                .isEqualTo("{\"actor\":\"bob\",\"approval_id\":\"apr-1\",\"comment\":null,\"event\":\"approved\"}");
        assertThat(RecordBodies.checkpoint(4, "h", "k1", "s"))
                .isEqualTo("{\"key_id\":\"k1\",\"signature\":\"s\",\"upto_hash\":\"h\",\"upto_seq\":4}");
    }
}
