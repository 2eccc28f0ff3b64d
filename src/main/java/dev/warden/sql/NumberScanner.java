package dev.warden.sql;

/** Numeric constants as PostgreSQL 16 reads them: underscores between digits, 0x/0o/0b prefixes, exponents. */
final class NumberScanner {
    private NumberScanner() {
    }

    /** Returns the offset after the number starting at {@code from}; the caller rejects trailing identifier characters. */
    static int scan(String sql, int from) {
        int i = from;
        if (sql.charAt(i) == '0' && i + 2 < sql.length() + 1 && i + 1 < sql.length()) {
            int radix = switch (sql.charAt(i + 1)) {
                case 'x', 'X' -> 16;
                case 'o', 'O' -> 8;
                case 'b', 'B' -> 2;
                default -> 0;
            };
            if (radix != 0) {
                int end = digits(sql, i + 2, radix, true);
                // "0x" without digits: stop after "0" so the caller reports trailing junk, as PostgreSQL does.
                return end > i + 2 ? end : i + 1;
            }
        }
        if (sql.charAt(i) != '.') {
            i = digits(sql, i, 10, false);
        }
        if (i < sql.length() && sql.charAt(i) == '.' && !(i + 1 < sql.length() && sql.charAt(i + 1) == '.')) {
            i = digits(sql, i + 1, 10, false);
        }
        if (i < sql.length() && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < sql.length() && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
                j++;
            }
            if (j < sql.length() && SqlLexer.isDigit(sql.charAt(j))) {
                i = digits(sql, j, 10, false);
            }
        }
        return i;
    }

    /** Digits of {@code radix}, with single underscores allowed between digits (or after the prefix). */
    private static int digits(String sql, int from, int radix, boolean underscoreFirst) {
        int i = from;
        boolean needDigit = !underscoreFirst;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c < 0x80 && Character.digit(c, radix) >= 0) {
                i++;
                needDigit = false;
            } else if (c == '_' && !needDigit && i + 1 < sql.length() && Character.digit(sql.charAt(i + 1), radix) >= 0) {
                i++;
                needDigit = true;
            } else {
                break;
            }
        }
        return i;
    }

    /** The value of a numeric token as a plain decimal string (for constant folding), or null if not an integer or decimal. */
    static java.math.BigDecimal value(String token) {
        String t = token.replace("_", "");
        try {
            if (t.length() > 2 && t.charAt(0) == '0' && Character.isLetter(t.charAt(1))) {
                int radix = switch (Character.toLowerCase(t.charAt(1))) {
                    case 'x' -> 16;
                    case 'o' -> 8;
                    default -> 2;
                };
                return new java.math.BigDecimal(new java.math.BigInteger(t.substring(2), radix));
            }
            return new java.math.BigDecimal(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
