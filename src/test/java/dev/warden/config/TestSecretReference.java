package dev.warden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestSecretReference {

    private static final String ABSENT_VARIABLE = "WARDEN_TEST_SURELY_UNSET_1F4C";

    @TempDir
    Path directory;

    @Test
    void resolvesEnvironmentVariable() throws Exception {
        SecretReference reference = SecretReference.parse("env:PATH");

        assertThat(reference.resolve()).isEqualTo(System.getenv("PATH"));
        assertThat(reference).hasToString("env:PATH");
    }

    @Test
    void unsetEnvironmentVariable() {
        assertThat(System.getenv(ABSENT_VARIABLE)).isNull();

        assertThatThrownBy(() -> SecretReference.parse("env:" + ABSENT_VARIABLE).resolve())
                .isInstanceOf(SecretUnavailableException.class)
                .hasMessage("environment variable " + ABSENT_VARIABLE + " is not set");
    }

    @Test
    void emptyEnvironmentVariable() {
        SecretReference reference = SecretReference.parse("env:WARDEN_PASSWORD");

        assertThatThrownBy(() -> reference.resolve(Map.of("WARDEN_PASSWORD", "")::get))
                .isInstanceOf(SecretUnavailableException.class)
                .hasMessage("environment variable WARDEN_PASSWORD is empty");
    }

    @Test
    void resolvesFileDroppingOneTrailingNewline() throws Exception {
        Path unix = Files.writeString(directory.resolve("unix"), "s3cret\n");
        Path windows = Files.writeString(directory.resolve("windows"), "s3cret\r\n");
        Path bare = Files.writeString(directory.resolve("bare"), "s3cret");
        Path twoNewlines = Files.writeString(directory.resolve("two"), "s3cret\n\n");

        assertThat(SecretReference.parse("file:" + unix).resolve()).isEqualTo("s3cret");
        assertThat(SecretReference.parse("file:" + windows).resolve()).isEqualTo("s3cret");
        assertThat(SecretReference.parse("file:" + bare).resolve()).isEqualTo("s3cret");
        assertThat(SecretReference.parse("file:" + twoNewlines).resolve()).isEqualTo("s3cret\n");
        assertThat(SecretReference.parse("file:" + unix)).hasToString("file:" + unix);
    }

    @Test
    void missingFile() {
        Path missing = directory.resolve("missing");

        assertThatThrownBy(() -> SecretReference.parse("file:" + missing).resolve())
                .isInstanceOf(SecretUnavailableException.class)
                .hasMessage("cannot read file " + missing + ": No such file");
    }

    @Test
    void emptyFile() throws Exception {
        Path empty = Files.writeString(directory.resolve("empty"), "\n");

        assertThatThrownBy(() -> SecretReference.parse("file:" + empty).resolve())
                .isInstanceOf(SecretUnavailableException.class)
                .hasMessage("file " + empty + " is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Hunter2-Very-Secret", "", "env:", "env:9LIVES", "env:A-B", "file:", "file:relative/Hunter2", "vault:Hunter2", "ENV:X"})
    void rejectsAnythingButReferencesWithoutEchoing(String text) {
        assertThatThrownBy(() -> SecretReference.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Hunter2", "9LIVES", "relative"));
    }

    @Test
    void literalPasswordMessage() {
        assertThatThrownBy(() -> SecretReference.parse("Hunter2"))
                .hasMessage("must be a reference, env:NAME or file:/absolute/path"
                        + " (literal passwords are not allowed in the configuration file)");
    }

    @Test
    void equalityByReferenceText() {
        assertThat(SecretReference.parse("env:A")).isEqualTo(SecretReference.parse("env:A"))
                .hasSameHashCodeAs(SecretReference.parse("env:A"))
                .isNotEqualTo(SecretReference.parse("env:B"));
    }
}
