package dev.warden.masking;

/**
 * How a masked value is replaced. Every strategy yields a value the column's type can hold, in text
 * and in binary format, or NULL: a client must still be able to decode the row.
 */
public enum MaskStrategy {
    /** Text types become {@code ****}; other types become NULL. */
    FULL("full"),
    /** Text types keep their last {@code keep_last} characters behind {@code ****}; other types become NULL. */
    PARTIAL("partial"),
    /** Always NULL. */
    NULL("null"),
    /**
     * A keyed hash (HMAC-SHA-256) of the value, of the column's own type where one can hold it (text,
     * integers, numeric, uuid, bytea); NULL otherwise. The same value always gives the same hash under
     * one key, so joins, GROUP BY and DISTINCT still work on masked columns.
     */
    HASH("hash");

    private final String configName;

    MaskStrategy(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }
}
