package dev.warden.sql;

/** PostgreSQL's operator-token rules ({@code scan.l}, "operator"). */
final class Operators {
    private Operators() {
    }

    /**
     * The longest operator at {@code from}, cut where a comment starts ({@code --} or {@code /*} inside
     * an operator run begins a comment), and without trailing {@code +}/{@code -} unless the operator
     * contains one of {@code ~ ! @ # % ^ & | ` ?} (so {@code a=-1} is {@code a = -1}).
     */
    static String scan(String sql, int from) {
        int end = from;
        while (end < sql.length() && SqlLexer.isOperatorChar(sql.charAt(end))) {
            end++;
        }
        String op = sql.substring(from, end);
        int comment = firstComment(op);
        if (comment >= 0) {
            op = op.substring(0, comment);
        }
        if (op.length() > 1 && !hasSpecial(op)) {
            int keep = op.length();
            while (keep > 1 && (op.charAt(keep - 1) == '+' || op.charAt(keep - 1) == '-')) {
                keep--;
            }
            op = op.substring(0, keep);
        }
        return op;
    }

    private static int firstComment(String op) {
        int dash = op.indexOf("--");
        int slash = op.indexOf("/*");
        if (dash < 0) {
            return slash;
        }
        return slash < 0 ? dash : Math.min(dash, slash);
    }

    private static boolean hasSpecial(String op) {
        for (int i = 0; i < op.length(); i++) {
            if ("~!@#%^&|`?".indexOf(op.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }
}
