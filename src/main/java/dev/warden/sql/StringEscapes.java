package dev.warden.sql;

/** Decoding of backslash escapes ({@code E'...'}) and Unicode escapes ({@code U&'...'}) as PostgreSQL does. */
final class StringEscapes {
    private StringEscapes() {
    }

    /** {@code \b \f \n \r \t}, octal {@code \o..}, hex {@code \xh.}, {@code \\uXXXX}, {@code \\UXXXXXXXX}; any other {@code \c} is {@code c}. */
    static String decodeBackslashes(String raw, int offset) throws SqlLexException {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 >= raw.length()) {
                out.append(c);
                i++;
                continue;
            }
            char e = raw.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'x' -> {
                    int end = digitsEnd(raw, i, 2, 16);
                    if (end == i) {
                        out.append('x');
                    } else {
                        out.append((char) Integer.parseInt(raw.substring(i, end), 16));
                        i = end;
                    }
                }
                case 'u', 'U' -> {
                    int width = e == 'u' ? 4 : 8;
                    int end = digitsEnd(raw, i, width, 16);
                    if (end - i != width) {
                        throw new SqlLexException("invalid Unicode escape", offset);
                    }
                    appendCodePoint(out, Long.parseLong(raw.substring(i, end), 16), offset);
                    i = end;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = digitsEnd(raw, i - 1, 3, 8);
                        out.append((char) (Integer.parseInt(raw.substring(i - 1, end), 8) & 0xFF));
                        i = end;
                    } else {
                        out.append(e);
                    }
                }
            }
        }
        return out.toString();
    }

    /** {@code <esc>XXXX}, {@code <esc>+XXXXXX}, {@code <esc><esc>}; anything else after the escape is an error. */
    static String decodeUnicode(String raw, char escape, int offset) throws SqlLexException {
        StringBuilder out = new StringBuilder(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c != escape) {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 < raw.length() && raw.charAt(i + 1) == escape) {
                out.append(escape);
                i += 2;
                continue;
            }
            boolean plus = i + 1 < raw.length() && raw.charAt(i + 1) == '+';
            int start = i + (plus ? 2 : 1);
            int width = plus ? 6 : 4;
            int end = digitsEnd(raw, start, width, 16);
            if (end - start != width) {
                throw new SqlLexException("invalid Unicode escape", offset);
            }
            appendCodePoint(out, Long.parseLong(raw.substring(start, end), 16), offset);
            i = end;
        }
        return out.toString();
    }

    private static void appendCodePoint(StringBuilder out, long codePoint, int offset) throws SqlLexException {
        if (codePoint == 0 || codePoint > Character.MAX_CODE_POINT
                || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
            // PostgreSQL rejects NUL and invalid code points; surrogate pairs written as two escapes are rare
            // in practice and refused here rather than half-decoded.
            throw new SqlLexException("invalid Unicode escape value", offset);
        }
        out.appendCodePoint((int) codePoint);
    }

    private static int digitsEnd(String s, int from, int max, int radix) {
        int i = from;
        while (i < s.length() && i - from < max && Character.digit(s.charAt(i), radix) >= 0 && s.charAt(i) < 0x80) {
            i++;
        }
        return i;
    }
}
