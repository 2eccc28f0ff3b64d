package dev.warden.recording;

import static java.util.Objects.requireNonNull;

import dev.warden.policy.Decision;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bodies of each {@link RecordKind}, as canonical JSON, so every writer uses the same field names
 * (snake_case, as SIEM tools expect) and replay, export and the web UI read one format.
 *
 * <p>What goes in: what the client sent and saw, since that is what is audited, parameter values and
 * result rows included (after masking: the recorder sits behind the masker). What never goes in:
 * secrets. Passwords, service tokens, OIDC tokens, SCRAM exchanges and upstream credentials do not
 * belong in any body, and callers must not put them there; a statement's text and parameters are the
 * client's own and are recorded as sent.
 */
public final class RecordBodies {

    private RecordBodies() {}

    /** How a statement reached the gateway. */
    public enum ProtocolPath {
        SIMPLE, EXTENDED, FUNCTION_CALL, COPY;

        String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The wire format of a parameter or result column: text, or binary recorded as base64. */
    public enum Format {
        TEXT, BINARY;

        String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One bind parameter as sent. {@code value} is the text form, base64 of the bytes for binary, or
     * null for SQL NULL.
     */
    public record Parameter(int typeOid, Format format, String value) {
        public Parameter {
            requireNonNull(format, "format is null");
        }

        public static Parameter text(int typeOid, String value) {
            return new Parameter(typeOid, Format.TEXT, value);
        }

        public static Parameter binary(int typeOid, byte[] value) {
            return new Parameter(typeOid, Format.BINARY, value == null ? null : Base64.getEncoder().encodeToString(value));
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("type_oid", typeOid);
            json.put("format", format.jsonName());
            json.put("value", value);
            return json;
        }
    }

    /** A result column as described to the client (RowDescription). */
    public record Column(String name, int typeOid, Format format) {
        public Column {
            requireNonNull(name, "name is null");
            requireNonNull(format, "format is null");
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", name);
            json.put("type_oid", typeOid);
            json.put("format", format.jsonName());
            return json;
        }
    }

    /** The error as the client saw it (ErrorResponse). */
    public record StatementError(String sqlstate, String message) {
        public StatementError {
            requireNonNull(sqlstate, "sqlstate is null");
            requireNonNull(message, "message is null");
        }
    }

    public static String sessionStart(String identity, String authMethod, List<String> groups, String clientAddress,
            boolean tls, String target, String applicationName) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("identity", requireNonNull(identity, "identity is null"));
        body.put("auth_method", requireNonNull(authMethod, "authMethod is null"));
        body.put("groups", List.copyOf(groups));
        body.put("client_address", requireNonNull(clientAddress, "clientAddress is null"));
        body.put("tls", tls);
        body.put("target", requireNonNull(target, "target is null"));
        body.put("application_name", applicationName);
        return CanonicalJson.encode(body);
    }

    /**
     * @param intent from {@link StatementIntent#extract}, or null
     * @param approvalId the approval this statement runs under, or null
     */
    public static String statement(ProtocolPath protocolPath, String text, List<Parameter> parameters, Decision decision,
            String intent, String approvalId) {
        return statement(protocolPath, text, parameters, decision, intent, approvalId, null);
    }

    /**
     * @param estimatedRows the planner's estimate the decision was made with, or null when none was
     *     asked for (then the record has no {@code estimated_rows} key at all)
     */
    public static String statement(ProtocolPath protocolPath, String text, List<Parameter> parameters, Decision decision,
            String intent, String approvalId, Long estimatedRows) {
        requireNonNull(protocolPath, "protocolPath is null");
        requireNonNull(decision, "decision is null");
        List<Object> params = new ArrayList<>(parameters.size());
        for (Parameter parameter : parameters) {
            params.add(parameter.toJson());
        }
        Map<String, Object> decisionJson = new LinkedHashMap<>();
        decisionJson.put("outcome", decision.outcome().configName());
        decisionJson.put("rule", decision.rule());
        decisionJson.put("reason", decision.reason());
        decisionJson.put("policy_version", decision.policyVersion());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("protocol_path", protocolPath.jsonName());
        body.put("text", requireNonNull(text, "text is null"));
        body.put("parameters", params);
        body.put("decision", decisionJson);
        body.put("intent", intent);
        body.put("approval_id", approvalId);
        if (estimatedRows != null) {
            body.put("estimated_rows", estimatedRows);
        }
        return CanonicalJson.encode(body);
    }

    /**
     * @param rows the recorded rows as the client saw them (text, or base64 for binary columns; null
     *     for SQL NULL), at most the configured cap
     * @param truncated whether rows beyond the cap were sent to the client but not recorded
     * @param rowCount how many rows the client received in all
     */
    /**
     * A result tied to its statement: {@code statementSeq} is the STATEMENT record's seq and
     * {@code statementIndex} the statement's position within that message (a simple Query may hold
     * several). Pipelined statements make record order alone ambiguous.
     */
    public static String result(long statementSeq, int statementIndex, List<Column> columns, List<List<String>> rows,
            boolean truncated, long rowCount) {
        return result(statementSeq, statementIndex, columns, rows, truncated, rowCount, null);
    }

    /**
     * @param masking how the result was masked for this client (masked columns, or the exempt group
     *     that saw clear values); null when masking did not apply, and then the key is absent
     */
    public static String result(long statementSeq, int statementIndex, List<Column> columns, List<List<String>> rows,
            boolean truncated, long rowCount, String masking) {
        Map<String, Object> body = resultBody(columns, rows, truncated, rowCount);
        if (masking != null) {
            body.put("masking", masking);
        }
        body.put("statement_seq", statementSeq);
        body.put("statement_index", statementIndex);
        return CanonicalJson.encode(body);
    }

    /** A completion tied to its statement; see {@link #result(long, int, List, List, boolean, long)}. */
    public static String completion(long statementSeq, int statementIndex, String commandTag, Long rows,
            long durationMicros, StatementError error) {
        Map<String, Object> body = completionBody(commandTag, rows, durationMicros, error);
        body.put("statement_seq", statementSeq);
        body.put("statement_index", statementIndex);
        return CanonicalJson.encode(body);
    }

    public static String result(List<Column> columns, List<List<String>> rows, boolean truncated, long rowCount) {
        return CanonicalJson.encode(resultBody(columns, rows, truncated, rowCount));
    }

    private static Map<String, Object> resultBody(List<Column> columns, List<List<String>> rows, boolean truncated,
            long rowCount) {
        List<Object> columnsJson = new ArrayList<>(columns.size());
        for (Column column : columns) {
            columnsJson.add(column.toJson());
        }
        List<Object> rowsJson = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("a row has " + row.size() + " values for " + columns.size() + " columns");
            }
            rowsJson.add(new ArrayList<>(row));
        }
        if (rowCount < rows.size()) {
            throw new IllegalArgumentException("rowCount is less than the recorded rows");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("columns", columnsJson);
        body.put("rows", rowsJson);
        body.put("truncated", truncated);
        body.put("row_count", rowCount);
        return body;
    }

    /**
     * @param commandTag as sent in CommandComplete, or null when the statement failed
     * @param rows rows affected or returned, or null when the command tag carries none
     * @param error the error the client saw, or null
     */
    public static String completion(String commandTag, Long rows, long durationMicros, StatementError error) {
        return CanonicalJson.encode(completionBody(commandTag, rows, durationMicros, error));
    }

    private static Map<String, Object> completionBody(String commandTag, Long rows, long durationMicros,
            StatementError error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command_tag", commandTag);
        body.put("rows", rows);
        body.put("duration_micros", durationMicros);
        if (error == null) {
            body.put("error", null);
        } else {
            Map<String, Object> errorJson = new LinkedHashMap<>();
            errorJson.put("sqlstate", error.sqlstate());
            errorJson.put("message", error.message());
            body.put("error", errorJson);
        }
        return body;
    }

    /**
     * @param event requested, approved, denied, expired or voided
     * @param actor who did it (the approver, or the requester for requested), or null for expiry
     */
    public static String approval(String approvalId, String event, String actor, String comment) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("approval_id", requireNonNull(approvalId, "approvalId is null"));
        body.put("event", requireNonNull(event, "event is null"));
        body.put("actor", actor);
        body.put("comment", comment);
        return CanonicalJson.encode(body);
    }

    public static String sessionEnd(String reason) {
        return CanonicalJson.encode(Map.of("reason", requireNonNull(reason, "reason is null")));
    }

    /** Written by {@link CheckpointSigner#checkpointBody}. */
    public static String checkpoint(long uptoSeq, String uptoHash, String keyId, String signature) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("upto_seq", uptoSeq);
        body.put("upto_hash", requireNonNull(uptoHash, "uptoHash is null"));
        body.put("key_id", requireNonNull(keyId, "keyId is null"));
        body.put("signature", requireNonNull(signature, "signature is null"));
        return CanonicalJson.encode(body);
    }
}
