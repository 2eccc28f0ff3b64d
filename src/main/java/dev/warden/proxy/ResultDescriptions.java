package dev.warden.proxy;

import dev.warden.bounded.LeastRecentlyUsedMap;
import dev.warden.masking.ResultColumn;
import dev.warden.protocol.pg.WireStrings;
import dev.warden.recording.RecordBodies;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What each prepared statement and portal of a session returns, as the server described it: an
 * Execute sends no RowDescription, so its rows are planned from the portal's Describe, or from its
 * statement's (a Describe of the statement, or of an earlier portal of it) with the result formats
 * the Bind asked for. Updated in the order the server answers, so a statement re-parsed or a portal
 * re-bound forgets what it described before. Bounded (least recently used names are forgotten, and
 * then their rows are masked whole).
 */
final class ResultDescriptions {
    private static final int MAX_REMEMBERED = 1024;

    private record Binding(String statement, short[] formats) {}

    /** A RowDescription: the columns as masking plans them, and their names (for the session record). */
    record Described(List<ResultColumn> columns, List<String> names) {
        /** The columns as the session record names them: name, type, format. */
        List<RecordBodies.Column> recorded() {
            List<RecordBodies.Column> recorded = new ArrayList<>(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                ResultColumn column = columns.get(i);
                recorded.add(new RecordBodies.Column(names.get(i), (int) column.typeOid(),
                        column.binary() ? RecordBodies.Format.BINARY : RecordBodies.Format.TEXT));
            }
            return recorded;
        }
    }

    private static final Described NOTHING = new Described(List.of(), List.of());

    private final Map<String, Described> statements = lru();
    private final Map<String, Described> portals = lru();
    private final Map<String, Binding> bindings = lru();

    private static <V> Map<String, V> lru() {
        return new LeastRecentlyUsedMap<>(MAX_REMEMBERED);
    }

    /** ParseComplete: the statement may now return something else. */
    void parsed(String statement) {
        statements.remove(statement);
    }

    /** BindComplete of {@code portal} for {@code statement} with these result formats. */
    void bound(String portal, String statement, short[] formats) {
        portals.remove(portal);
        bindings.put(portal, new Binding(statement, formats));
    }

    /** NoData: the statement returns no rows. */
    void statementDescribed(String statement) {
        statements.put(statement, NOTHING);
    }

    /** A RowDescription answering a Describe of the statement. */
    void statementDescribed(String statement, Described described) {
        statements.put(statement, described);
    }

    /** NoData: the portal returns no rows. */
    void portalDescribed(String portal) {
        portalDescribed(portal, NOTHING);
    }

    /**
     * A RowDescription answering a Describe of the portal. The portal's columns are its statement's
     * too: a later Bind of it without a Describe is planned from them.
     */
    void portalDescribed(String portal, Described described) {
        portals.put(portal, described);
        Binding binding = bindings.get(portal);
        if (binding != null && binding.statement() != null) {
            statements.put(binding.statement(), described);
        }
    }

    /** The columns an Execute of {@code portal} returns, in the formats bound; null when never described. */
    List<ResultColumn> forExecute(String portal) {
        Described described = describedForExecute(portal);
        return described == null ? null : described.columns();
    }

    /**
     * The columns an Execute of {@code portal} returns as the session record names them (name, type,
     * bound format); null when never described.
     */
    List<RecordBodies.Column> recordedForExecute(String portal) {
        Described described = describedForExecute(portal);
        return described == null ? null : described.recorded();
    }

    private Described describedForExecute(String portal) {
        Described described = portals.get(portal);
        if (described != null) {
            return described;
        }
        Binding binding = bindings.get(portal);
        Described statement = binding == null ? null : statements.get(binding.statement());
        return statement == null ? null : new Described(withFormats(statement.columns(), binding.formats()), statement.names());
    }

    private static List<ResultColumn> withFormats(List<ResultColumn> columns, short[] formats) {
        List<ResultColumn> formatted = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            // Bind: no codes = all text, one code = for every column, else one per column.
            int format = formats.length == 0 ? 0 : formats.length == 1 ? formats[0] : i < formats.length ? formats[i] : 0;
            ResultColumn column = columns.get(i);
            formatted.add(new ResultColumn(column.tableOid(), column.attribute(), column.typeOid(), format == 1));
        }
        return formatted;
    }

    /** A RowDescription body: per column its name, source table OID and attribute, type and format. */
    static Described parse(ByteBuf buf, int index) {
        ByteBuf body = buf.duplicate().readerIndex(index);
        int count = body.readUnsignedShort();
        List<ResultColumn> columns = new ArrayList<>(count);
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(WireStrings.readCString(body));
            long tableOid = Integer.toUnsignedLong(body.readInt());
            int attribute = body.readShort();
            long typeOid = Integer.toUnsignedLong(body.readInt());
            body.skipBytes(2 + 4); // type size, type modifier
            int format = body.readShort();
            columns.add(new ResultColumn(tableOid, attribute, typeOid, format == 1));
        }
        return new Described(columns, names);
    }
}
