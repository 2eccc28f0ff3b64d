package dev.warden.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "token", description = "TODO")
final class TokenCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("token is being built");
    }
}
