package dev.warden.sql;

import java.util.List;

/** The object-type phrases of CREATE/ALTER/DROP/COMMENT ON, longest first so "event trigger" wins over "event". */
final class ObjectTypes {
    private static final List<String[]> PHRASES = List.of(
            words("foreign data wrapper"), words("text search configuration"), words("text search dictionary"),
            words("text search parser"), words("text search template"), words("default privileges"),
            words("materialized view"), words("event trigger"), words("foreign table"), words("user mapping"),
            words("access method"), words("operator class"), words("operator family"), words("constraint trigger"),
            words("large object"), words("procedural language"), words("trusted procedural language"),
            words("table"), words("view"), words("function"), words("procedure"), words("routine"), words("rule"),
            words("trigger"), words("extension"), words("server"), words("publication"), words("subscription"),
            words("schema"), words("index"), words("sequence"), words("type"), words("domain"), words("role"),
            words("user"), words("group"), words("database"), words("tablespace"), words("aggregate"),
            words("operator"), words("cast"), words("collation"), words("conversion"), words("language"),
            words("policy"), words("statistics"), words("transform"), words("owned"), words("column"),
            words("constraint"), words("system"));

    private ObjectTypes() {
    }

    private static String[] words(String phrase) {
        return phrase.split(" ");
    }

    /** Reads an object-type phrase at the reader's position; null (position unchanged) if none. */
    static String read(TokenReader reader) {
        for (String[] phrase : PHRASES) {
            if (reader.accept(phrase)) {
                String type = String.join(" ", phrase);
                // CREATE TRUSTED PROCEDURAL LANGUAGE / PROCEDURAL LANGUAGE are languages.
                return type.endsWith("language") ? "language" : type;
            }
        }
        return null;
    }

    /** Role DDL is kind ROLE (see StatementAnalyzer); USER and GROUP are spellings of ROLE. */
    static boolean isRole(String type) {
        return "role".equals(type) || "user".equals(type) || "group".equals(type);
    }
}
