package dev.warden.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "start", description = "TODO")
final class StartCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("start is being built");
    }
}
