package dev.warden.masking;

import dev.warden.bounded.LeastRecentlyUsedMap;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Values this session has had masked, so that the same value is masked where no rule or detector
 * would see it: quoted in an error's detail, a notice, a notification payload. Bounded: the least
 * recently masked are forgotten beyond {@value #MAX_VALUES}; values shorter than {@value #MIN_LENGTH} are not kept
 * (masking every "a" or "42" in error text would destroy it and hide little).
 */
final class KnownValues {
    static final int MAX_VALUES = 1000;
    static final int MIN_LENGTH = 4;
    static final int MAX_LENGTH = 256;

    /**
     * In access order, so that remembering a value again only moves it to the end (one lookup for every
     * masked value of a result, where a set needed a removal and an insertion).
     */
    private final Map<String, Boolean> values = new LeastRecentlyUsedMap<>(MAX_VALUES);

    void remember(byte[] data, int from, int to) {
        int length = to - from;
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return;
        }
        String value = new String(data, from, length, StandardCharsets.UTF_8).strip();
        if (value.length() < MIN_LENGTH) {
            return;
        }
        values.put(value, Boolean.TRUE);
    }

    /** The text with every known value replaced, or null when none occurs. */
    String mask(String text) {
        if (values.isEmpty()) {
            return null;
        }
        String result = text;
        for (String value : values.keySet()) {
            if (result.contains(value)) {
                result = result.replace(value, ContentScanner.REPLACEMENT);
            }
        }
        return result == text ? null : result;
    }
}
