package dev.warden.masking;

/** The built-in content detectors, by the name the policy uses. */
public enum DetectorKind {
    EMAIL("email"),
    CARD_NUMBER("card_number"),
    US_SSN("us_ssn"),
    PHONE("phone"),
    IBAN("iban"),
    SECRET("secret");

    private final String configName;

    DetectorKind(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }
}
