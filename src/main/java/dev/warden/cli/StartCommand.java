package dev.warden.cli;

import dev.warden.config.ConfigException;
import dev.warden.config.ConfigLoader;
import dev.warden.config.WardenConfig;
import dev.warden.proxy.Gateway;
import dev.warden.store.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "start", description = "Start the gateway with a configuration file; stops cleanly on SIGINT/SIGTERM.")
final class StartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "warden.yaml")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        WardenConfig loaded;
        try {
            loaded = ConfigLoader.load(config);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.println("warden: not started: fix the configuration and try again");
            return ExitCode.CONFIG_ERROR.code();
        }
        Gateway server;
        try {
            server = Gateway.start(loaded);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.println("warden: not started: fix the policy and try again");
            return ExitCode.CONFIG_ERROR.code();
        } catch (StoreException e) {
            err.println("warden: cannot start: the audit store is unavailable: " + e.getMessage());
            return ExitCode.START_FAILED.code();
        } catch (IOException | RuntimeException e) {
            err.println("warden: cannot start: " + e.getMessage());
            return ExitCode.START_FAILED.code();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("warden " + WardenCli.projectVersion() + " listening on " + server.boundAddresses());
        out.flush();
        awaitShutdown(server);
        return ExitCode.OK.code();
    }

    /** Blocks until SIGINT/SIGTERM; the shutdown hook drains sessions before the JVM exits. */
    static void awaitShutdown(AutoCloseable... resources) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable resource : resources) {
                try {
                    resource.close();
                } catch (Exception e) {
                    System.err.println("warden: error while stopping: " + e);
                }
            }
            stopped.countDown();
        }, "warden-shutdown"));
        stopped.await();
    }
}
