package dev.warden.sql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tokenizer faithful to PostgreSQL's {@code scan.l}. The gateway and the server must agree on
 * where every string, comment and identifier begins and ends: a disagreement is how a
 * {@code DROP} hides inside what the gateway took for a string. Anything the scanner would reject
 * (unterminated literal or comment, junk after a number, a zero-length quoted identifier) is a
 * {@link SqlLexException}, so the statement is never treated as understood.
 */
public final class SqlLexer {
    /** NAMEDATALEN - 1: PostgreSQL truncates longer identifiers, so two spellings can name one object. */
    static final int MAX_IDENTIFIER_BYTES = 63;

    private final String sql;
    private final boolean standardConformingStrings;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    private SqlLexer(String sql, boolean standardConformingStrings) {
        this.sql = sql;
        this.standardConformingStrings = standardConformingStrings;
    }

    /** Tokenizes {@code sql}; comments and whitespace are dropped. */
    public static List<Token> tokenize(String sql, boolean standardConformingStrings) throws SqlLexException {
        SqlLexer lexer = new SqlLexer(sql, standardConformingStrings);
        lexer.run();
        return lexer.tokens;
    }

    public static List<Token> tokenize(String sql) throws SqlLexException {
        return tokenize(sql, true);
    }

    /**
     * False only when {@link #tokenize} cannot find the unquoted word {@code word} (ASCII, lower case)
     * in {@code sql}: a case-insensitive search, the cheap test before lexing a statement again just
     * to look for one word. True does not mean the word is there (it may sit in a string or comment).
     */
    public static boolean mayContainWord(String sql, String word) {
        char first = word.charAt(0);
        for (int i = sql.length() - word.length(); i >= 0; i--) {
            // regionMatches' own per-character rule, tried on the first character before calling it.
            char c = sql.charAt(i);
            if ((c == first || Character.toLowerCase(Character.toUpperCase(c)) == first)
                    && sql.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    private void run() throws SqlLexException {
        int length = sql.length();
        while (true) {
            skipWhitespaceAndComments();
            if (pos >= length) {
                return;
            }
            scanToken();
        }
    }

    private void skipWhitespaceAndComments() throws SqlLexException {
        int length = sql.length();
        while (pos < length) {
            char c = sql.charAt(pos);
            if (isWhitespace(c)) {
                pos++;
            } else if (c == '-' && at(pos + 1, '-')) {
                while (pos < length && sql.charAt(pos) != '\n' && sql.charAt(pos) != '\r') {
                    pos++;
                }
            } else if (c == '/' && at(pos + 1, '*')) {
                skipBlockComment();
            } else {
                return;
            }
        }
    }

    /** Block comments nest in PostgreSQL (unlike the SQL standard's reading in some databases). */
    private void skipBlockComment() throws SqlLexException {
        int begin = pos;
        int depth = 0;
        int length = sql.length();
        while (pos < length) {
            if (sql.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else if (sql.startsWith("*/", pos)) {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                pos++;
            }
        }
        throw new SqlLexException("unterminated /* comment", begin);
    }

    private void scanToken() throws SqlLexException {
        char c = sql.charAt(pos);
        char next = pos + 1 < sql.length() ? sql.charAt(pos + 1) : 0;
        if ((c == 'e' || c == 'E') && next == '\'') {
            pos++;
            scanQuoted(pos - 1, true);
        } else if ((c == 'b' || c == 'B' || c == 'x' || c == 'X') && next == '\'') {
            scanBitString();
        } else if ((c == 'n' || c == 'N') && next == '\'') {
            pos++;
            scanQuoted(pos - 1, !standardConformingStrings);
        } else if ((c == 'u' || c == 'U') && next == '&' && (at(pos + 2, '\'') || at(pos + 2, '"'))) {
            scanUnicode();
        } else if (c == '\'') {
            scanQuoted(pos, !standardConformingStrings);
        } else if (c == '"') {
            scanQuotedIdentifier();
        } else if (c == '$') {
            scanDollar();
        } else if (isIdentifierStart(c)) {
            scanIdentifier();
        } else if (isDigit(c) || (c == '.' && isDigit(next))) {
            scanNumber();
        } else {
            scanPunctuationOrOperator();
        }
    }

    private void scanQuoted(int tokenStart, boolean backslashEscapes) throws SqlLexException {
        StringBuilder value = new StringBuilder();
        pos = readQuotedBody(pos, backslashEscapes, value);
        // 'a'<newline>'b' is one constant 'ab' (SQL standard continuation); only with a newline between.
        int after = continuation(pos);
        while (after >= 0) {
            pos = readQuotedBody(after, backslashEscapes, value);
            after = continuation(pos);
        }
        String text = backslashEscapes ? StringEscapes.decodeBackslashes(value.toString(), tokenStart) : value.toString();
        tokens.add(new Token(TokenType.STRING, text, tokenStart, pos));
    }

    /**
     * Reads from an opening quote to after its closing quote, appending the raw content with
     * {@code ''} undoubled (and, when backslashes escape, {@code \x} pairs kept for later decoding).
     */
    private int readQuotedBody(int openQuote, boolean backslashEscapes, StringBuilder out) throws SqlLexException {
        return readDelimited(openQuote, '\'', backslashEscapes, out, "unterminated quoted string");
    }

    /**
     * Reads from an opening delimiter ({@code '} or {@code "}) to after its closing one: a doubled
     * delimiter stands for itself, and a backslash keeps the next character when it escapes.
     */
    private int readDelimited(int open, char delimiter, boolean backslashEscapes, StringBuilder out, String unterminated)
            throws SqlLexException {
        int i = open + 1;
        int length = sql.length();
        while (i < length) {
            char c = sql.charAt(i);
            if (c == '\\' && backslashEscapes) {
                if (i + 1 >= length) {
                    break;
                }
                out.append(c).append(sql.charAt(i + 1));
                i += 2;
            } else if (c == delimiter) {
                if (i + 1 < length && sql.charAt(i + 1) == delimiter) {
                    out.append(delimiter);
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        throw new SqlLexException(unterminated, open);
    }

    /** Offset of a continuing quote after whitespace that contains a newline, else -1. */
    private int continuation(int from) {
        int i = from;
        boolean newline = false;
        int length = sql.length();
        while (i < length) {
            char c = sql.charAt(i);
            if (c == '\n' || c == '\r') {
                newline = true;
                i++;
            } else if (isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
                // scan.l: whitespace_with_newline allows -- comments before and after the newline.
                while (i < length && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
                    i++;
                }
            } else {
                break;
            }
        }
        return newline && i < length && sql.charAt(i) == '\'' ? i : -1;
    }

    private void scanBitString() throws SqlLexException {
        int begin = pos;
        char prefix = Character.toLowerCase(sql.charAt(pos));
        StringBuilder value = new StringBuilder();
        pos = readQuotedBody(pos + 1, false, value);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = prefix == 'b' ? (c == '0' || c == '1') : Character.digit(c, 16) >= 0;
            if (!ok) {
                throw new SqlLexException("invalid character in bit string", begin);
            }
        }
        tokens.add(new Token(TokenType.BIT_STRING, prefix + value.toString(), begin, pos));
    }

    private void scanUnicode() throws SqlLexException {
        int begin = pos;
        boolean identifier = sql.charAt(pos + 2) == '"';
        if (!identifier && !standardConformingStrings) {
            // PostgreSQL refuses U&'' when standard_conforming_strings is off.
            throw new SqlLexException("unsafe use of string constant with Unicode escapes", begin);
        }
        StringBuilder raw = new StringBuilder();
        if (identifier) {
            pos = readQuotedIdentifierBody(pos + 2, raw);
        } else {
            pos = readQuotedBody(pos + 2, false, raw);
            int after = continuation(pos);
            while (after >= 0) {
                pos = readQuotedBody(after, false, raw);
                after = continuation(pos);
            }
        }
        char escape = '\\';
        int save = pos;
        skipWhitespaceAndComments();
        if (sql.regionMatches(true, pos, "uescape", 0, 7) && !isIdentifierChar(pos + 7)) {
            pos += 7;
            skipWhitespaceAndComments();
            if (!at(pos, '\'') || !at(pos + 2, '\'')) {
                throw new SqlLexException("invalid Unicode escape character after UESCAPE", pos);
            }
            escape = sql.charAt(pos + 1);
            if (isHexDigit(escape) || escape == '+' || escape == '\'' || escape == '"' || isWhitespace(escape)) {
                throw new SqlLexException("invalid Unicode escape character", pos);
            }
            pos += 3;
        } else {
            pos = save;
        }
        String value = StringEscapes.decodeUnicode(raw.toString(), escape, begin);
        if (identifier) {
            addQuotedIdentifier(value, begin);
        } else {
            tokens.add(new Token(TokenType.STRING, value, begin, pos));
        }
    }

    private void scanQuotedIdentifier() throws SqlLexException {
        int begin = pos;
        StringBuilder value = new StringBuilder();
        pos = readQuotedIdentifierBody(pos, value);
        addQuotedIdentifier(value.toString(), begin);
    }

    private void addQuotedIdentifier(String value, int begin) throws SqlLexException {
        if (value.isEmpty()) {
            throw new SqlLexException("zero-length delimited identifier", begin);
        }
        tokens.add(new Token(TokenType.QUOTED_IDENTIFIER, truncate(value), begin, pos));
    }

    private int readQuotedIdentifierBody(int openQuote, StringBuilder out) throws SqlLexException {
        return readDelimited(openQuote, '"', false, out, "unterminated quoted identifier");
    }

    /** {@code $1} is a parameter; {@code $$} or {@code $tag$} opens a dollar-quoted string. */
    private void scanDollar() throws SqlLexException {
        int begin = pos;
        int i = pos + 1;
        if (i < sql.length() && isDigit(sql.charAt(i))) {
            while (i < sql.length() && isDigit(sql.charAt(i))) {
                i++;
            }
            if (isIdentifierChar(i)) {
                throw new SqlLexException("trailing junk after parameter", begin);
            }
            tokens.add(new Token(TokenType.PARAMETER, sql.substring(begin + 1, i), begin, i));
            pos = i;
            return;
        }
        // A tag is an identifier without '$': letters, digits after the first, underscore, high bytes.
        if (i < sql.length() && isIdentifierStart(sql.charAt(i))) {
            while (i < sql.length() && sql.charAt(i) != '$' && (isIdentifierStart(sql.charAt(i)) || isDigit(sql.charAt(i)))) {
                i++;
            }
        }
        if (i >= sql.length() || sql.charAt(i) != '$') {
            throw new SqlLexException("unexpected '$'", begin);
        }
        String delimiter = sql.substring(begin, i + 1);
        int close = sql.indexOf(delimiter, i + 1);
        if (close < 0) {
            throw new SqlLexException("unterminated dollar-quoted string", begin);
        }
        tokens.add(new Token(TokenType.STRING, sql.substring(i + 1, close), begin, close + delimiter.length()));
        pos = close + delimiter.length();
    }

    private void scanIdentifier() {
        int begin = pos;
        while (pos < sql.length() && isIdentifierChar(pos)) {
            pos++;
        }
        tokens.add(new Token(TokenType.IDENTIFIER, truncate(foldAscii(sql.substring(begin, pos))), begin, pos));
    }

    private void scanNumber() throws SqlLexException {
        int begin = pos;
        pos = NumberScanner.scan(sql, pos);
        if (isIdentifierChar(pos)) {
            // PostgreSQL 15+ rejects "123abc" instead of reading it as "123 AS abc".
            throw new SqlLexException("trailing junk after numeric literal", begin);
        }
        tokens.add(new Token(TokenType.NUMBER, sql.substring(begin, pos), begin, pos));
    }

    private void scanPunctuationOrOperator() throws SqlLexException {
        int begin = pos;
        char c = sql.charAt(pos);
        TokenType single = switch (c) {
            case '(' -> TokenType.LEFT_PAREN;
            case ')' -> TokenType.RIGHT_PAREN;
            case '[' -> TokenType.LEFT_BRACKET;
            case ']' -> TokenType.RIGHT_BRACKET;
            case ',' -> TokenType.COMMA;
            case ';' -> TokenType.SEMICOLON;
            default -> null;
        };
        if (single != null) {
            pos++;
            tokens.add(new Token(single, String.valueOf(c), begin, pos));
            return;
        }
        if (c == ':') {
            if (at(pos + 1, ':')) {
                pos += 2;
                tokens.add(new Token(TokenType.TYPECAST, "::", begin, pos));
            } else if (at(pos + 1, '=')) {
                pos += 2;
                tokens.add(new Token(TokenType.OPERATOR, ":=", begin, pos));
            } else {
                pos++;
                tokens.add(new Token(TokenType.COLON, ":", begin, pos));
            }
            return;
        }
        if (c == '.') {
            pos += at(pos + 1, '.') ? 2 : 1;
            tokens.add(new Token(pos - begin == 2 ? TokenType.OPERATOR : TokenType.DOT, sql.substring(begin, pos), begin, pos));
            return;
        }
        if (!isOperatorChar(c)) {
            throw new SqlLexException("unexpected character '" + c + "'", begin);
        }
        String op = Operators.scan(sql, pos);
        pos += op.length();
        tokens.add(new Token(TokenType.OPERATOR, op.equals("!=") ? "<>" : op, begin, pos));
    }

    private boolean at(int index, char c) {
        return index < sql.length() && sql.charAt(index) == c;
    }

    private boolean isIdentifierChar(int index) {
        if (index >= sql.length()) {
            return false;
        }
        char c = sql.charAt(index);
        return isIdentifierStart(c) || isDigit(c) || c == '$';
    }

    /** Only ASCII letters fold: PostgreSQL leaves multibyte characters alone in UTF-8 databases. */
    static String foldAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'A' && chars[j] <= 'Z') {
                        chars[j] = (char) (chars[j] + ('a' - 'A'));
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    /** Identifiers longer than NAMEDATALEN-1 bytes are truncated at a character boundary, as PostgreSQL does. */
    static String truncate(String identifier) {
        if (identifier.length() * 3 <= MAX_IDENTIFIER_BYTES) {
            return identifier;
        }
        byte[] bytes = identifier.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_IDENTIFIER_BYTES) {
            return identifier;
        }
        int bytesSoFar = 0;
        int i = 0;
        while (i < identifier.length()) {
            int cp = identifier.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytesSoFar + size > MAX_IDENTIFIER_BYTES) {
                break;
            }
            bytesSoFar += size;
            i += Character.charCount(cp);
        }
        return identifier.substring(0, i);
    }

    static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isHexDigit(char c) {
        return Character.digit(c, 16) >= 0 && c < 0x80;
    }

    static boolean isOperatorChar(char c) {
        return "+-*/<>=~!@#%^&|`?".indexOf(c) >= 0;
    }
}
