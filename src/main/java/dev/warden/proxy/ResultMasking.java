package dev.warden.proxy;

import static java.util.Objects.requireNonNull;

import dev.warden.catalog.CatalogSnapshot;
import dev.warden.catalog.TargetCatalogs;
import dev.warden.masking.CopyFormat;
import dev.warden.masking.CopyRowMasker;
import dev.warden.masking.CopyStatement;
import dev.warden.masking.MaskPlan;
import dev.warden.masking.MaskingException;
import dev.warden.masking.MaskingKey;
import dev.warden.masking.ResolvedMasking;
import dev.warden.recording.RecordBodies;
import dev.warden.masking.ResultColumn;
import dev.warden.masking.RowRewrite;
import dev.warden.masking.SessionMasker;
import dev.warden.policy.Policy;
import dev.warden.policy.PolicyHolder;
import dev.warden.policy.Subject;
import dev.warden.protocol.pg.BackendType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The masking of one session on the relay: follows which description each result has (RowDescription
 * of a simple query, Describe of a statement or portal before an Execute, CopyOutResponse), plans each
 * result when it starts, and rewrites DataRow, CopyData and the server's texts before they are sent
 * and recorded. The policy in force is re-read at every result, so a reload applies to the next one.
 * Runs on the session's event loop.
 */
public final class ResultMasking {
    /** A message masking must hold whole larger than this ends the session (fail closed, bounded memory). */
    static final int MAX_HELD_MESSAGE = 64 * 1024 * 1024;
    /** A row buffer up to this size is kept for the session's next rows; a larger one is not. */
    private static final int RETAINED_ROW_BUFFER = 64 * 1024;

    private final PolicyHolder policies;
    private final TargetCatalogs catalogs;
    private final MaskingKeys keys;
    private final String target;
    private final Subject subject;
    private Policy maskerPolicy;
    private SessionMasker masker;

    private final ResultDescriptions descriptions = new ResultDescriptions();
    private InFlightOperation planOwner;
    private MaskPlan plan;
    /** The last plan made and what it was made from (plans are immutable, so it can serve again). */
    private MaskPlan lastPlan;
    private ResolvedMasking lastResolved;
    private boolean lastReaches;
    private List<ResultColumn> lastColumns;
    private InFlightOperation copyOwner;
    private CopyRowMasker copy;
    private byte[] rowBuffer = new byte[512];

    ResultMasking(PolicyHolder policies, TargetCatalogs catalogs, MaskingKeys keys, String target, Subject subject) {
        this.policies = requireNonNull(policies, "policies is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.catalogs = requireNonNull(catalogs, "catalogs is null");
        this.target = requireNonNull(target, "target is null");
        this.subject = requireNonNull(subject, "subject is null");
    }

    /** The masker of the policy in force (a reload makes a new one). */
    private SessionMasker masker() {
        Policy policy = policies.policy();
        if (policy != maskerPolicy) {
            maskerPolicy = policy;
            masker = new SessionMasker(policy.masking(), policy.groupsOf(subject), key(policy));
        }
        return masker;
    }

    private MaskingKey key(Policy policy) {
        return keys.keyFor(policy);
    }

    /**
     * Completes when results can be planned: at once when the policy masks nothing beyond the
     * built-in rules, else when the target's catalog has loaded (or failed to). A new future each
     * time, so a caller's timeout never touches the catalog's own.
     */
    CompletableFuture<Void> ready() {
        if (!masker().masksPolicyRules()) {
            return CompletableFuture.completedFuture(null);
        }
        return catalogs.ready(target).handle((snapshot, failure) -> null);
    }

    /** Bodies the masking reads to follow results. */
    boolean wantsBody(byte type) {
        return type == BackendType.ROW_DESCRIPTION || type == BackendType.COPY_OUT_RESPONSE;
    }

    /**
     * Follows a backend message other than RowDescription ({@link #onRowDescription}), before the
     * in-flight queue moves past {@code head}.
     */
    void observe(byte type, ByteBuf body, int index, InFlightOperation head) {
        if (head == null) {
            return;
        }
        switch (type) {
            case BackendType.PARSE_COMPLETE -> descriptions.parsed(head.name());
            case BackendType.BIND_COMPLETE -> descriptions.bound(head.name(), head.boundStatement(), head.resultFormats());
            case BackendType.NO_DATA -> {
                if (head.kind() == InFlightOperation.Kind.DESCRIBE_STATEMENT) {
                    descriptions.statementDescribed(head.name());
                } else if (head.kind() == InFlightOperation.Kind.DESCRIBE_PORTAL) {
                    descriptions.portalDescribed(head.name());
                }
            }
            case BackendType.COPY_OUT_RESPONSE -> onCopyOut(body, index, head);
            default -> {
            }
        }
    }

    /** A RowDescription, parsed once for masking and the session record, answering {@code head}. */
    void onRowDescription(ResultDescriptions.Described described, InFlightOperation head) {
        switch (head.kind()) {
            case DESCRIBE_STATEMENT -> descriptions.statementDescribed(head.name(), described);
            case DESCRIBE_PORTAL -> descriptions.portalDescribed(head.name(), described);
            default -> {
                planOwner = head;
                plan = planFor(described.columns(), head.sql());
            }
        }
    }

    /**
     * How the session record names the columns of an Execute's rows (the server sends no
     * RowDescription for them: they were described earlier); null when unknown or not an Execute.
     */
    List<RecordBodies.Column> recordedColumns(InFlightOperation head) {
        return head.kind() == InFlightOperation.Kind.EXECUTE ? descriptions.recordedForExecute(head.name()) : null;
    }

    private MaskPlan planFor(List<ResultColumn> columns, String sql) {
        SessionMasker current = masker();
        CatalogSnapshot catalog = catalogs.current(target).orElse(null);
        if (catalog == null) {
            // Sources cannot be resolved before the first catalog load: masked identities get nothing.
            return current.masksPolicyRules() ? MaskPlan.failClosed(columns.size()) : null;
        }
        ResolvedMasking resolved = current.resolve(catalog);
        // Always asked: it also remembers the cursors and prepared statements the text declares.
        boolean reaches = current.reaches(resolved, sql);
        if (lastPlan != null && resolved == lastResolved && reaches == lastReaches && columns.equals(lastColumns)) {
            return lastPlan; // a prepared statement executed again: the same inputs make the same plan
        }
        lastPlan = MaskPlan.of(columns, resolved, reaches, current.scansEverything());
        lastResolved = resolved;
        lastReaches = reaches;
        lastColumns = columns;
        return lastPlan;
    }

    /** The plan of the result {@code head} is producing; null when its rows pass untouched. */
    private MaskPlan currentPlan(InFlightOperation head) {
        if (head != planOwner) {
            planOwner = head;
            plan = head.kind() == InFlightOperation.Kind.EXECUTE ? planForExecute(head) : null;
        }
        return plan;
    }

    /** An Execute sends no RowDescription: planned from what its portal or statement was described as. */
    private MaskPlan planForExecute(InFlightOperation head) {
        List<ResultColumn> columns = descriptions.forExecute(head.name());
        if (columns == null) {
            return masker().masksPolicyRules() ? UNKNOWN : null;
        }
        return planFor(columns, head.sql());
    }

    /** Marks rows whose description Warden never saw: planned fail-closed from their own column count. */
    private static final MaskPlan UNKNOWN = MaskPlan.failClosed(0);

    private void onCopyOut(ByteBuf body, int index, InFlightOperation head) {
        copyOwner = head;
        copy = null;
        int overall = body.getByte(index);
        int count = body.getUnsignedShort(index + 1);
        CopyStatement statement = head.sql() == null ? null : CopyStatement.read(head.sql()).orElse(null);
        boolean binary = overall == 1;
        List<ResultColumn> columns = copyColumns(statement, count, binary);
        MaskPlan copyPlan = planFor(columns, head.sql());
        if (copyPlan == null || copyPlan.isPassThrough()) {
            return;
        }
        if (statement == null) {
            statement = new CopyStatement(null, null, List.of(), CopyFormat.TEXT);
        }
        copy = masker().copy(binary ? new CopyFormat(CopyFormat.Kind.BINARY,
                (byte) 0, false) : statement.format(), copyPlan);
    }

    /** The copied columns with their sources when the statement names a table Warden can resolve. */
    private List<ResultColumn> copyColumns(CopyStatement statement, int count, boolean binary) {
        long unknownType = binary ? 0 : 25; // text: "****" is a valid field; binary: NULL
        CatalogSnapshot catalog = catalogs.current(target).orElse(null);
        if (statement != null && statement.table() != null && catalog != null) {
            List<CatalogSnapshot.Column> tableColumns = CopySources.columns(catalog, statement);
            if (tableColumns != null && tableColumns.size() == count) {
                List<ResultColumn> columns = new ArrayList<>(count);
                for (CatalogSnapshot.Column column : tableColumns) {
                    columns.add(new ResultColumn(column.relationOid(), column.number(), column.typeOid(), binary));
                }
                return columns;
            }
        }
        List<ResultColumn> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            columns.add(new ResultColumn(0, 0, unknownType, binary));
        }
        return columns;
    }

    /** Whether a message must be held for rewriting. */
    boolean holds(byte type, int bodyLength, InFlightOperation head) {
        boolean holds = switch (type) {
            case BackendType.DATA_ROW -> {
                MaskPlan rows = head == null ? null : currentPlan(head);
                yield rows != null && (rows == UNKNOWN || !rows.isPassThrough());
            }
            case BackendType.COPY_DATA -> head != null && head == copyOwner && copy != null;
            case BackendType.ERROR_RESPONSE, BackendType.NOTICE_RESPONSE, BackendType.NOTIFICATION_RESPONSE,
                    BackendType.PARAMETER_STATUS, BackendType.FUNCTION_CALL_RESPONSE -> masker().masksMessages();
            default -> false;
        };
        if (holds && bodyLength > MAX_HELD_MESSAGE) {
            throw new MaskingRefusal("a " + (char) type + " message of " + bodyLength
                    + " bytes is larger than masking holds (" + MAX_HELD_MESSAGE + ")");
        }
        return holds;
    }

    /** The rewritten message, or null to send it unchanged. */
    ByteBuf rewrite(byte type, ByteBuf body, int index, int length, InFlightOperation head, ByteBufAllocator alloc) {
        if (type == BackendType.DATA_ROW) {
            return rewriteRow(body, index, length, head, alloc);
        }
        byte[] bytes = new byte[length];
        body.getBytes(index, bytes);
        byte[] masked;
        try {
            masked = switch (type) {
                case BackendType.COPY_DATA -> copy.mask(bytes, 0, length);
                case BackendType.ERROR_RESPONSE, BackendType.NOTICE_RESPONSE ->
                        masker().maskNoticeFields(bytes, 0, length, statementReaches(head),
                                head == null ? null : head.sql(), catalogs.current(target).orElse(null));
                case BackendType.NOTIFICATION_RESPONSE -> masker().maskNotification(bytes, 0, length);
                case BackendType.PARAMETER_STATUS -> masker().maskParameterStatus(bytes, 0, length);
                case BackendType.FUNCTION_CALL_RESPONSE -> masker().maskFunctionResult(bytes, 0, length);
                default -> null;
            };
        } catch (RuntimeException e) {
            throw refusal(type, e);
        }
        if (masked == null) {
            return null;
        }
        ByteBuf message = alloc.buffer(5 + masked.length);
        message.writeByte(type).writeInt(4 + masked.length).writeBytes(masked);
        return message;
    }

    /**
     * A DataRow, the message of every row of a masked result: read in place when the buffer has an array,
     * else into a buffer the session reuses; the masker writes the masked row, message header included, into
     * a buffer it reuses, so that a row costs no arrays and no copies of its own before the scanner's.
     */
    private ByteBuf rewriteRow(ByteBuf body, int index, int length, InFlightOperation head, ByteBufAllocator alloc) {
        byte[] bytes;
        int from;
        if (body.hasArray()) {
            bytes = body.array();
            from = body.arrayOffset() + index;
        } else {
            bytes = rowBuffer(length);
            body.getBytes(index, bytes, 0, length);
            from = 0;
        }
        RowRewrite masked;
        try {
            MaskPlan current = currentPlan(head);
            MaskPlan rows = current == UNKNOWN ? MaskPlan.failClosed(columnCount(bytes, from, length)) : current;
            masked = masker().rewriteRow(rows, bytes, from, from + length);
        } catch (RuntimeException e) {
            throw refusal(BackendType.DATA_ROW, e);
        }
        if (masked == null) {
            return null;
        }
        byte[] message = masked.message(BackendType.DATA_ROW);
        int size = masked.messageLength();
        if (size > BackendStreamScanner.COPIED_REPLACEMENT_LIMIT) {
            return alloc.buffer(size).writeBytes(message, 0, size);
        }
        // The scanner copies a replacement this small before it rewrites the next row, so the masker's
        // reused buffer goes out as it is, through one wrapper kept while the buffer stays the same:
        // no buffer, wrapper or reference count per masked row. (Unreleasable: its retain and release
        // cost nothing, and the scanner's release cannot free what the next row writes into.)
        if (message != smallRowArray) {
            smallRowArray = message;
            smallRow = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(message));
        }
        return smallRow.setIndex(0, size);
    }

    /** The masker's reused row buffer, and the wrapper small masked DataRows go out in (see {@link #rewriteRow}). */
    private byte[] smallRowArray;
    private ByteBuf smallRow;

    /** The session's buffer for a row read out of a direct buffer; one for a row beyond the retained size is not kept. */
    private byte[] rowBuffer(int length) {
        if (length > RETAINED_ROW_BUFFER) {
            return new byte[length];
        }
        if (rowBuffer.length < length) {
            rowBuffer = new byte[Math.min(RETAINED_ROW_BUFFER, Math.max(length, 2 * rowBuffer.length))];
        }
        return rowBuffer;
    }

    /** Never forward what could not be masked; the exception names no value. */
    private static MaskingRefusal refusal(byte type, RuntimeException e) {
        return new MaskingRefusal("could not mask a '" + (char) type + "' message: " + e.getClass().getSimpleName()
                + (e instanceof MaskingException ? " (" + e.getMessage() + ")" : ""));
    }

    /**
     * How the result {@code head} is producing is masked, for its RESULT record: the masked columns
     * (by position), whether content detectors ran, or the exempt group that saw clear values.
     */
    String note(InFlightOperation head) {
        MaskPlan result = head == copyOwner && copy != null ? null : head == planOwner ? plan : null;
        if (head == notedOwner && result == notedPlan && maskerPolicy == notedPolicy) {
            return note;
        }
        notedOwner = head;
        notedPlan = result;
        notedPolicy = maskerPolicy;
        note = describe(head, result);
        return note;
    }

    private InFlightOperation notedOwner;
    private MaskPlan notedPlan;
    private Policy notedPolicy;
    private String note;

    private String describe(InFlightOperation head, MaskPlan result) {
        SessionMasker current = masker();
        Optional<String> exemption = SessionMasker.exemption(current.policy(), maskerPolicy.groupsOf(subject));
        if (exemption.isPresent()) {
            return "exempt: group " + exemption.get() + " sees clear values (built-in credential rules still apply)";
        }
        if (!current.masksPolicyRules()) {
            return null;
        }
        StringBuilder note = new StringBuilder();
        if (result == UNKNOWN) {
            note.append("every column masked: no description of the rows was seen");
        } else if (result != null) {
            List<Integer> masked = new ArrayList<>();
            for (int i = 0; i < result.columnCount(); i++) {
                if (result.masksColumn(i)) {
                    masked.add(i);
                }
            }
            note.append("masked columns ").append(masked);
        } else if (head == copyOwner && copy != null) {
            note.append("COPY rows masked");
        }
        if (current.scansEverything()) {
            note.append(note.length() == 0 ? "" : "; ").append("content detectors on");
        }
        return note.length() == 0 ? null : note.toString();
    }

    /** Whether the statement an error or notice belongs to reaches masked data; unknown counts as yes. */
    private boolean statementReaches(InFlightOperation head) {
        if (head == null || !masker().masksPolicyRules()) {
            return false;
        }
        CatalogSnapshot catalog = catalogs.current(target).orElse(null);
        return catalog == null || masker().reaches(masker().resolve(catalog), head.sql());
    }

    private static int columnCount(byte[] row, int from, int length) {
        return length < 2 ? 0 : ((row[from] & 0xFF) << 8) | (row[from + 1] & 0xFF);
    }

    /** Masking could not be done safely: the session ends rather than forward the message. */
    static final class MaskingRefusal extends RuntimeException {
        MaskingRefusal(String message) {
            super(message, null, false, false);
        }
    }
}
