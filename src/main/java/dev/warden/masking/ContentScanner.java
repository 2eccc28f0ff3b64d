package dev.warden.masking;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The second net: runs the content detectors over a value and replaces what they find with
 * {@value #REPLACEMENT}. Built-in detectors are hand-written linear scanners over the UTF-8 bytes.
 * Custom patterns are java.util.regex, which can backtrack: they run over the decoded text under a
 * step budget proportional to its length, and a value that exhausts the budget is masked whole
 * (fail closed) rather than scanned for ever.
 *
 * <p>Not thread-safe (it reuses a span buffer): one per session.
 */
public final class ContentScanner {
    public static final String REPLACEMENT = "****";
    private static final byte[] REPLACEMENT_BYTES = REPLACEMENT.getBytes(StandardCharsets.US_ASCII);
    /** Character reads a custom pattern may make per character of input (plus a fixed allowance). */
    static final int CUSTOM_STEPS_PER_CHAR = 200;
    static final int CUSTOM_STEPS_BASE = 100_000;
    private static final int MIN_IBAN_LENGTH = 15;
    /** The shortest secret the secret detector reports ("sk-" and 16 token characters). */
    private static final int MIN_SECRET_LENGTH = 19;

    private final boolean email;
    private final IbanDetector iban;
    private final boolean secrets;
    private final DigitGroupDetector digits;
    private final List<CustomPattern> custom;
    /** Asked for every value: a field, not the list's own emptiness test through its interface. */
    private final boolean hasCustom;
    private final Spans spans = new Spans();
    /** False only in tests, to hold the hints to giving the same result as running every detector. */
    private final boolean prefilter;

    public ContentScanner(Set<DetectorKind> detectors, List<CustomPattern> custom) {
        this(detectors, custom, true);
    }

    ContentScanner(Set<DetectorKind> detectors, List<CustomPattern> custom, boolean prefilter) {
        this.prefilter = prefilter;
        this.email = detectors.contains(DetectorKind.EMAIL);
        this.iban = detectors.contains(DetectorKind.IBAN) ? new IbanDetector() : null;
        this.secrets = detectors.contains(DetectorKind.SECRET);
        boolean cards = detectors.contains(DetectorKind.CARD_NUMBER);
        boolean ssns = detectors.contains(DetectorKind.US_SSN);
        boolean phones = detectors.contains(DetectorKind.PHONE);
        this.digits = cards || ssns || phones ? new DigitGroupDetector(cards, ssns, phones) : null;
        this.custom = List.copyOf(custom);
        this.hasCustom = !this.custom.isEmpty();
    }

    public boolean isEmpty() {
        return !email && iban == null && !secrets && digits == null && !hasCustom;
    }

    /** Whether any detector finds something in the bytes. */
    public boolean finds(byte[] data, int from, int to) {
        return collect(data, from, to);
    }

    /** The value with every finding replaced, or null when nothing was found. */
    public byte[] mask(byte[] data, int from, int to) {
        if (!scan(data, from, to)) {
            return null;
        }
        byte[] masked = new byte[maskedLength(from, to)];
        writeMasked(data, from, to, masked, 0);
        return masked;
    }

    /**
     * Runs the detectors over a value and keeps their findings for {@link #maskedLength} and
     * {@link #writeMasked}, so that a caller can write the masked value where it is needed (the row
     * being rewritten) instead of receiving a new array; false when nothing is found.
     */
    boolean scan(byte[] data, int from, int to) {
        if (!collect(data, from, to)) {
            return false;
        }
        spans.normalize();
        return true;
    }

    /** The length of the value last {@link #scan scanned}, {@code [from, to)}, with its findings replaced. */
    int maskedLength(int from, int to) {
        int kept = to - from;
        for (int i = 0; i < spans.size(); i++) {
            kept -= spans.end(i) - spans.start(i);
        }
        return kept + spans.size() * REPLACEMENT_BYTES.length;
    }

    /** Writes the value last {@link #scan scanned} with its findings replaced, {@link #maskedLength} bytes. */
    void writeMasked(byte[] data, int from, int to, byte[] out, int outAt) {
        int write = outAt;
        int at = from;
        for (int i = 0; i < spans.size(); i++) {
            System.arraycopy(data, at, out, write, spans.start(i) - at);
            write += spans.start(i) - at;
            System.arraycopy(REPLACEMENT_BYTES, 0, out, write, REPLACEMENT_BYTES.length);
            write += REPLACEMENT_BYTES.length;
            at = spans.end(i);
        }
        System.arraycopy(data, at, out, write, to - at);
    }

    private boolean collect(byte[] data, int from, int to) {
        spans.clear();
        int length = to - from;
        // One pass decides which detectors can possibly match: most values rule out all of them. A value
        // shorter than MIN_IBAN_LENGTH (and so than MIN_SECRET_LENGTH) is never given to those two below.
        int hints = !prefilter ? -1
                : length < MIN_IBAN_LENGTH ? DetectorHints.ofShortValue(data, from, to) : DetectorHints.of(data, from, to);
        if (email && (hints & DetectorHints.EMAIL) != 0) {
            EmailDetector.find(data, from, to, spans);
        }
        if (digits != null && (hints & DetectorHints.DIGIT_GROUPS) != 0) {
            digits.find(data, from, to, spans);
        }
        if (iban != null && (hints & DetectorHints.IBAN) != 0 && length >= MIN_IBAN_LENGTH) {
            iban.find(data, from, to, spans);
        }
        if (secrets && (hints & DetectorHints.SECRET) != 0 && length >= MIN_SECRET_LENGTH) {
            SecretDetector.find(data, from, to, spans);
        }
        if (hasCustom) {
            findCustom(data, from, to);
        }
        return !spans.isEmpty();
    }

    private void findCustom(byte[] data, int from, int to) {
        String text = new String(data, from, to - from, StandardCharsets.UTF_8);
        for (CustomPattern pattern : custom) {
            StepBudget budget = new StepBudget(text, (long) CUSTOM_STEPS_PER_CHAR * text.length() + CUSTOM_STEPS_BASE);
            try {
                Matcher matcher = pattern.pattern().matcher(budget);
                while (matcher.find()) {
                    if (matcher.end() > matcher.start()) {
                        spans.add(from + utf8Length(text, matcher.start()), from + utf8Length(text, matcher.end()));
                    }
                }
            } catch (StepBudget.Exhausted e) {
                spans.add(from, to);
                return;
            }
        }
    }

    /** The UTF-8 length of text[0, chars): detectors report byte ranges. */
    private static int utf8Length(String text, int chars) {
        int bytes = 0;
        for (int i = 0; i < chars; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** A CharSequence that stops a regular expression after a fixed number of character reads. */
    private static final class StepBudget implements CharSequence {
        private final String text;
        private long remaining;

        StepBudget(String text, long steps) {
            this.text = text;
            this.remaining = steps;
        }

        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super("custom pattern exceeded its step budget", null, false, false);
            }
        }

        @Override
        public char charAt(int index) {
            if (--remaining < 0) {
                throw new Exhausted();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
