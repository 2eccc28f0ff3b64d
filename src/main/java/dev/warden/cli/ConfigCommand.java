package dev.warden.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "config", description = "TODO")
final class ConfigCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("config is being built");
    }
}
