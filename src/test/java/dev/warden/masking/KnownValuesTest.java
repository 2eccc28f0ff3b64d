package dev.warden.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The values a session had masked, masked again in free text; bounded, least recently masked forgotten first. */
class KnownValuesTest {
    private static void remember(KnownValues known, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        known.remember(bytes, 0, bytes.length);
    }

    @Test
    void aRememberedValueIsMaskedInTextAndShortOnesAreNotKept() {
        KnownValues known = new KnownValues();
        assertThat(known.mask("nothing yet")).isNull();
        remember(known, " 1985-03-14 ");
        remember(known, "abc");
        assertThat(known.mask("born 1985-03-14, code abc")).isEqualTo("born ****, code abc");
        assertThat(known.mask("nothing here")).isNull();
    }

    @Test
    void theLeastRecentlyMaskedValueIsForgottenFirst() {
        KnownValues known = new KnownValues();
        remember(known, "value-first");
        remember(known, "value-second");
        for (int i = 0; i < KnownValues.MAX_VALUES - 2; i++) {
            remember(known, "filler-" + i);
        }
        // Full now; masking "value-first" again makes "value-second" the least recent.
        remember(known, "value-first");
        remember(known, "one-more");
        assertThat(known.mask("value-first")).isEqualTo("****");
        assertThat(known.mask("value-second")).isNull();
        assertThat(known.mask("one-more and filler-0")).isEqualTo("**** and ****");
        remember(known, "and-another");
        assertThat(known.mask("filler-0")).isNull();
    }
}
