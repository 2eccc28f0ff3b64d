package dev.warden.control;

import static java.util.Objects.requireNonNull;

import dev.warden.config.TargetConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether each target's upstream server accepts a TCP connection, for {@code /readyz}. All targets are
 * tried at once, each for at most {@link #CONNECT_TIMEOUT}, and the answer is kept for
 * {@link #FRESH_FOR}: probes arrive as often as a load balancer likes, the database sees at most one
 * connection per target per interval. A bare connect that sends nothing is what PostgreSQL does not
 * even log, and needs no credential.
 *
 * <p>The reasons say what failed (refused, timed out, no such host), never the host or port: the
 * endpoint is open to anyone who reaches the listener. The log has the address.
 */
final class UpstreamReachability implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UpstreamReachability.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration FRESH_FOR = Duration.ofSeconds(5);
    private static final String NO_ANSWER = "no answer within " + CONNECT_TIMEOUT.toSeconds() + " s";

    /** One target's answer: {@code failure} is empty when its upstream accepted the connection. */
    record Check(String target, Optional<String> failure) {}

    private final List<TargetConfig> targets;
    private final Clock clock;
    private final ExecutorService probes;
    private final Map<String, Boolean> lastUp = new HashMap<>();
    private List<Check> latest = List.of();
    private Instant checkedAt = Instant.MIN;

    UpstreamReachability(Collection<TargetConfig> targets, Clock clock) {
        this.targets = List.copyOf(requireNonNull(targets, "targets is null"));
        this.clock = requireNonNull(clock, "clock is null");
        this.probes = Executors.newFixedThreadPool(Math.max(1, Math.min(this.targets.size(), 8)), runnable -> {
            Thread thread = new Thread(runnable, "warden-upstream-probe");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Every target's answer, at most {@link #FRESH_FOR} old. Callers arriving while a round runs wait
     * for it (at most about {@link #CONNECT_TIMEOUT}) rather than start another.
     */
    synchronized List<Check> checks() {
        Instant now = clock.instant();
        if (now.isBefore(checkedAt.plus(FRESH_FOR))) {
            return latest;
        }
        List<CompletableFuture<Check>> round = new ArrayList<>();
        for (TargetConfig target : targets) {
            // The connect is bounded; resolving the host name is not, so the wait is bounded here as well.
            round.add(CompletableFuture.supplyAsync(() -> check(target), probes).completeOnTimeout(
                    new Check(target.name(), Optional.of(NO_ANSWER)), CONNECT_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS));
        }
        List<Check> checks = new ArrayList<>();
        for (CompletableFuture<Check> check : round) {
            checks.add(check.join());
        }
        latest = List.copyOf(checks);
        checkedAt = now;
        return latest;
    }

    private Check check(TargetConfig target) {
        Optional<String> failure = connect(target);
        boolean up = failure.isEmpty();
        Boolean wasUp;
        synchronized (lastUp) {
            wasUp = lastUp.put(target.name(), up);
        }
        if (!up && !Boolean.FALSE.equals(wasUp)) {
            log.warn("readiness: target {} ({}:{}) is not reachable: {}", target.name(), target.host(), target.port(),
                    failure.get());
        } else if (up && Boolean.FALSE.equals(wasUp)) {
            log.info("readiness: target {} is reachable again", target.name());
        }
        return new Check(target.name(), failure);
    }

    private static Optional<String> connect(TargetConfig target) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.host(), target.port()), (int) CONNECT_TIMEOUT.toMillis());
            return Optional.empty();
        } catch (SocketTimeoutException e) {
            return Optional.of(NO_ANSWER);
        } catch (ConnectException e) {
            return Optional.of("connection refused");
        } catch (UnknownHostException e) {
            return Optional.of("the host name does not resolve");
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return Optional.of("cannot connect (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public void close() {
        probes.shutdownNow();
    }
}
