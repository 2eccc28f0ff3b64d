package dev.warden.masking;

/**
 * local@domain.tld, scanned outward from each '@'. Linear: a scan stops at the previous or next '@'
 * (never a local or domain character), so no byte is visited more than a few times.
 */
final class EmailDetector {
    private EmailDetector() {}

    static void find(byte[] data, int from, int to, Spans out) {
        for (int at = Ascii.indexOf(data, from, to, (byte) '@'); at >= 0; at = Ascii.indexOf(data, at + 1, to, (byte) '@')) {
            int start = at;
            while (start > from && Ascii.isEmailLocal(data[start - 1])) {
                start--;
            }
            if (start == at) {
                continue;
            }
            int end = at + 1;
            int lastDot = -1;
            while (end < to && Ascii.isDomain(data[end])) {
                if (data[end] == '.') {
                    lastDot = end;
                }
                end++;
            }
            // A trailing dot ends a sentence, not the domain.
            while (end > at + 1 && data[end - 1] == '.') {
                end--;
            }
            if (lastDot >= end) {
                lastDot = -1;
                for (int i = end - 1; i > at; i--) {
                    if (data[i] == '.') {
                        lastDot = i;
                        break;
                    }
                }
            }
            if (lastDot > at + 1 && end - lastDot > 2 && allLetters(data, lastDot + 1, end)) {
                out.add(start, end);
                at = end - 1;
            }
        }
    }

    private static boolean allLetters(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Ascii.isLetter(data[i])) {
                return false;
            }
        }
        return true;
    }
}
