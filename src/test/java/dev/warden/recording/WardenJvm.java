package dev.warden.recording;

import dev.warden.testing.ProcessRunner;
import java.nio.file.Path;

/** The {@code warden} executable as a separate JVM on the test classpath, as an operator would run it. */
final class WardenJvm {
    private WardenJvm() {}

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The JVM arguments that run {@code warden args...}. */
    static String[] arguments(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "-cp";
        all[1] = System.getProperty("java.class.path");
        all[2] = "dev.warden.cli.WardenCli";
        System.arraycopy(args, 0, all, 3, args.length);
        return all;
    }

    static ProcessRunner command(String... args) {
        return ProcessRunner.program(java()).args((Object[]) arguments(args));
    }
}
