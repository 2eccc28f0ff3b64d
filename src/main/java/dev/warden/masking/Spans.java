package dev.warden.masking;

import java.util.Arrays;

/** Byte ranges [start, end) found in one value, kept sorted and merged when asked. */
final class Spans {
    private int[] bounds = new int[8];
    private int count;

    void add(int start, int end) {
        if (end <= start) {
            return;
        }
        if (2 * count + 2 > bounds.length) {
            bounds = Arrays.copyOf(bounds, bounds.length * 2);
        }
        bounds[2 * count] = start;
        bounds[2 * count + 1] = end;
        count++;
    }

    boolean isEmpty() {
        return count == 0;
    }

    void clear() {
        count = 0;
    }

    /** Sorts by start and merges overlapping or touching ranges. */
    void normalize() {
        if (count < 2) {
            return;
        }
        long[] packed = new long[count];
        for (int i = 0; i < count; i++) {
            packed[i] = ((long) bounds[2 * i] << 32) | (bounds[2 * i + 1] & 0xFFFF_FFFFL);
        }
        Arrays.sort(packed);
        int merged = 0;
        for (long span : packed) {
            int start = (int) (span >>> 32);
            int end = (int) span;
            if (merged > 0 && start <= bounds[2 * merged - 1]) {
                bounds[2 * merged - 1] = Math.max(bounds[2 * merged - 1], end);
            } else {
                bounds[2 * merged] = start;
                bounds[2 * merged + 1] = end;
                merged++;
            }
        }
        count = merged;
    }

    int size() {
        return count;
    }

    int start(int i) {
        return bounds[2 * i];
    }

    int end(int i) {
        return bounds[2 * i + 1];
    }
}
