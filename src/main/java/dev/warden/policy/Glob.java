package dev.warden.policy;

import static java.util.Objects.requireNonNull;

/**
 * A shell-style pattern: {@code *} matches any run of characters (also none), {@code ?} exactly
 * one; everything else matches itself, case-sensitively, because PostgreSQL names are
 * case-sensitive once folded. Matching allocates nothing: it runs for every table of every
 * statement.
 */
public record Glob(String pattern) {

    public Glob {
        requireNonNull(pattern, "pattern is null");
    }

    public boolean isLiteral() {
        return pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
    }

    public boolean matches(String text) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                // Let the last star absorb one more character and retry from there.
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
