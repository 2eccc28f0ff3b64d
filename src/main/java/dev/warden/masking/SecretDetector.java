package dev.warden.masking;

/**
 * Credentials that are recognisable by shape: AWS access key ids, JSON Web Tokens, PEM private-key
 * blocks and the prefixed tokens of common services. Each check starts at a fixed prefix and reads
 * forward over a bounded alphabet, so the scan is linear.
 */
final class SecretDetector {
    private static final String[] AWS_PREFIXES = {"AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"};
    /** Prefixes of GitHub, GitLab, Slack and Stripe tokens; the rest is at least 16 token characters. */
    private static final String[] TOKEN_PREFIXES = {"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-",
            "xoxb-", "xoxp-", "xoxa-", "xoxs-", "sk_live_", "rk_live_", "sk-"};
    private static final String PEM_BEGIN = "-----BEGIN ";
    private static final String PEM_END = "-----END ";

    private SecretDetector() {}

    static void find(byte[] data, int from, int to, Spans out) {
        for (int at = from; at < to; at++) {
            byte b = data[at];
            if (b == '-' && Ascii.startsWith(data, at, to, PEM_BEGIN)) {
                at = privateKey(data, at, to, out);
            } else if ((b == 'e' || b == 'E') && isJwtStart(data, at, to) && wordStart(data, from, at)) {
                at = jwt(data, at, to, out);
            } else if (b == 'A' && wordStart(data, from, at)) {
                at = awsKey(data, at, to, out);
            } else if ((b == 'g' || b == 'x' || b == 's' || b == 'r') && wordStart(data, from, at)) {
                // The first letters of TOKEN_PREFIXES.
                at = prefixedToken(data, at, to, out);
            }
        }
    }

    /** "eyJ" (base64 of '{"') in any case: a token upper- or lower-cased by SQL is still the token. */
    private static boolean isJwtStart(byte[] data, int at, int to) {
        return to - at >= 3 && (data[at + 1] == 'y' || data[at + 1] == 'Y') && (data[at + 2] == 'J' || data[at + 2] == 'j');
    }

    private static boolean wordStart(byte[] data, int from, int at) {
        return at == from || !Ascii.isTokenChar(data[at - 1]);
    }

    /** A PEM block naming a private key, to its END line; without one, to the end of the value (fail closed). */
    private static int privateKey(byte[] data, int at, int to, Spans out) {
        int lineEnd = at + PEM_BEGIN.length();
        while (lineEnd < to && data[lineEnd] != '\n' && lineEnd - at < 80) {
            lineEnd++;
        }
        if (Ascii.indexOf(data, at, lineEnd, "PRIVATE KEY") < 0) {
            return at;
        }
        int end = Ascii.indexOf(data, lineEnd, to, PEM_END);
        if (end < 0) {
            out.add(at, to);
            return to;
        }
        int close = Ascii.indexOf(data, end + PEM_END.length(), to, "-----");
        int stop = close < 0 ? to : close + 5;
        out.add(at, stop);
        return stop - 1;
    }

    private static int jwt(byte[] data, int at, int to, Spans out) {
        int i = at;
        int parts = 1;
        int partLength = 0;
        while (i < to) {
            byte b = data[i];
            if (Ascii.isTokenChar(b)) {
                partLength++;
            } else if (b == '.' && partLength >= 4 && parts < 3) {
                parts++;
                partLength = 0;
            } else {
                break;
            }
            i++;
        }
        if (parts == 3 && i - at >= 24) {
            out.add(at, i);
            return i - 1;
        }
        return at;
    }

    private static int awsKey(byte[] data, int at, int to, Spans out) {
        for (String prefix : AWS_PREFIXES) {
            if (Ascii.startsWith(data, at, to, prefix)) {
                int end = at + 20;
                if (end <= to && allUpperOrDigit(data, at + 4, end) && (end == to || !Ascii.isAlphanumeric(data[end]))) {
                    out.add(at, end);
                    return end - 1;
                }
            }
        }
        return at;
    }

    private static boolean allUpperOrDigit(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Ascii.isUpper(data[i]) && !Ascii.isDigit(data[i])) {
                return false;
            }
        }
        return true;
    }

    private static int prefixedToken(byte[] data, int at, int to, Spans out) {
        // Every prefix's second letter is one of these: most words are ruled out before the list.
        if (at + 1 >= to || (data[at + 1] != 'h' && data[at + 1] != 'i' && data[at + 1] != 'l' && data[at + 1] != 'o'
                && data[at + 1] != 'k')) {
            return at;
        }
        for (String prefix : TOKEN_PREFIXES) {
            if (Ascii.startsWith(data, at, to, prefix)) {
                int end = at + prefix.length();
                while (end < to && Ascii.isTokenChar(data[end])) {
                    end++;
                }
                if (end - at - prefix.length() >= 16) {
                    out.add(at, end);
                    return end - 1;
                }
            }
        }
        return at;
    }
}
