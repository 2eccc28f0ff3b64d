package dev.warden.masking;

/**
 * Card numbers (13 to 19 digits passing the Luhn check), US social security numbers (ddd-dd-dddd) and
 * phone numbers (ddd-ddd-dddd, (ddd) ddd-dddd, +country ...). All three are groups of digits joined
 * by single separators, so one pass cuts the text into such runs and tests each run's groups; every
 * byte is visited a bounded number of times.
 */
final class DigitGroupDetector {
    /** Groups beyond this in one run are scanned as a new run: bounds the per-run work. */
    private static final int MAX_GROUPS = 32;

    private final boolean cards;
    private final boolean ssns;
    private final boolean phones;
    private final int[] groupStart = new int[MAX_GROUPS];
    private final int[] groupEnd = new int[MAX_GROUPS];

    DigitGroupDetector(boolean cards, boolean ssns, boolean phones) {
        this.cards = cards;
        this.ssns = ssns;
        this.phones = phones;
    }

    void find(byte[] data, int from, int to, Spans out) {
        int at = from;
        while (at < to) {
            if (!Ascii.isDigit(data[at])) {
                at++;
                continue;
            }
            if (at > from && (Ascii.isLetter(data[at - 1]) || data[at - 1] == '_')) {
                // Inside a word (an identifier, a hex string): skip the whole word.
                while (at < to && (Ascii.isAlphanumeric(data[at]) || data[at] == '_')) {
                    at++;
                }
                continue;
            }
            at = scanRun(data, from, at, to, out);
        }
    }

    /** Reads the run of digit groups starting at {@code start}; returns where scanning continues. */
    private int scanRun(byte[] data, int from, int start, int to, Spans out) {
        int groups = 0;
        int at = start;
        while (groups < MAX_GROUPS) {
            int groupBegin = at;
            while (at < to && Ascii.isDigit(data[at])) {
                at++;
            }
            groupStart[groups] = groupBegin;
            groupEnd[groups] = at;
            groups++;
            int next = afterSeparator(data, at, to);
            if (next < 0) {
                break;
            }
            at = next;
        }
        int end = groupEnd[groups - 1];
        if (end < to && Ascii.isLetter(data[end])) {
            // Digits glued to letters are part of a word, not a number a person reads.
            return end;
        }
        boolean plus = start > from && data[start - 1] == '+';
        boolean parenthesis = start > from && data[start - 1] == '(';
        if (cards) {
            findCards(data, groups, out);
        }
        if (ssns) {
            findSsns(data, groups, out);
        }
        if (phones) {
            findPhones(data, start, groups, plus, parenthesis, out);
        }
        return end;
    }

    /** After a group: the start of the next group past one separator (or ") " / " ("), else -1. */
    private static int afterSeparator(byte[] data, int at, int to) {
        int limit = Math.min(to, at + 2);
        int i = at;
        while (i < limit && isSeparator(data[i])) {
            i++;
        }
        if (i == at || i >= to || !Ascii.isDigit(data[i])) {
            return -1;
        }
        if (i - at == 2 && !(data[at] == ')' || data[at + 1] == '(')) {
            return -1;
        }
        return i;
    }

    private static boolean isSeparator(byte b) {
        return b == ' ' || b == '-' || b == '.' || b == '(' || b == ')';
    }

    private static int digits(int[] starts, int[] ends, int first, int last) {
        int count = 0;
        for (int g = first; g <= last; g++) {
            count += ends[g] - starts[g];
        }
        return count;
    }

    private void findCards(byte[] data, int groups, Spans out) {
        for (int first = 0; first < groups; first++) {
            int count = 0;
            for (int last = first; last < groups && count <= 19; last++) {
                count += groupEnd[last] - groupStart[last];
                if (count >= 13 && count <= 19 && cardSeparators(data, first, last) && luhn(data, first, last)) {
                    out.add(groupStart[first], groupEnd[last]);
                }
            }
        }
    }

    /** Cards are written with spaces or dashes between groups, or none. */
    private boolean cardSeparators(byte[] data, int first, int last) {
        for (int g = first; g < last; g++) {
            int gap = groupStart[g + 1] - groupEnd[g];
            byte separator = data[groupEnd[g]];
            if (gap != 1 || (separator != ' ' && separator != '-')) {
                return false;
            }
        }
        return true;
    }

    private boolean luhn(byte[] data, int first, int last) {
        int sum = 0;
        boolean twice = false;
        for (int g = last; g >= first; g--) {
            for (int i = groupEnd[g] - 1; i >= groupStart[g]; i--) {
                int digit = data[i] - '0';
                if (twice) {
                    digit *= 2;
                    if (digit > 9) {
                        digit -= 9;
                    }
                }
                sum += digit;
                twice = !twice;
            }
        }
        return sum % 10 == 0;
    }

    private void findSsns(byte[] data, int groups, Spans out) {
        for (int g = 0; g + 2 < groups; g++) {
            if (size(g) == 3 && size(g + 1) == 2 && size(g + 2) == 4 && sameSeparator(data, g, '-', ' ')
                    && validSsn(data, g)) {
                out.add(groupStart[g], groupEnd[g + 2]);
            }
        }
    }

    /** Numbers the SSA never issues: area 000, 666 or 9xx, group 00, serial 0000. */
    private boolean validSsn(byte[] data, int g) {
        int area = number(data, g);
        return area != 0 && area != 666 && area < 900 && number(data, g + 1) != 0 && number(data, g + 2) != 0;
    }

    private void findPhones(byte[] data, int runStart, int groups, boolean plus, boolean parenthesis, Spans out) {
        if (plus) {
            int count = digits(groupStart, groupEnd, 0, groups - 1);
            if (count >= 8 && count <= 15) {
                out.add(runStart - 1, groupEnd[groups - 1]);
                return;
            }
        }
        for (int g = 0; g + 2 < groups; g++) {
            if (size(g) == 3 && size(g + 1) == 3 && size(g + 2) == 4) {
                boolean bracketed = data[groupEnd[g]] == ')' && (g > 0 || parenthesis);
                if (bracketed || sameSeparator(data, g, '-', '.', ' ')) {
                    int start = groupStart[g] - (bracketed && g == 0 && parenthesis ? 1 : 0);
                    out.add(g > 0 && groupEnd[g - 1] - groupStart[g - 1] <= 3 ? groupStart[g - 1] : start, groupEnd[g + 2]);
                }
            }
        }
    }

    private int size(int g) {
        return groupEnd[g] - groupStart[g];
    }

    private boolean sameSeparator(byte[] data, int g, char... allowed) {
        if (groupStart[g + 1] - groupEnd[g] != 1 || groupStart[g + 2] - groupEnd[g + 1] != 1) {
            return false;
        }
        byte first = data[groupEnd[g]];
        if (first != data[groupEnd[g + 1]]) {
            return false;
        }
        for (char c : allowed) {
            if (first == c) {
                return true;
            }
        }
        return false;
    }

    private int number(byte[] data, int g) {
        int value = 0;
        for (int i = groupStart[g]; i < groupEnd[g]; i++) {
            value = value * 10 + (data[i] - '0');
        }
        return value;
    }
}
