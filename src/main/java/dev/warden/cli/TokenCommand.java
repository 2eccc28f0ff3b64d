package dev.warden.cli;

import dev.warden.identity.Names;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceTokens;
import dev.warden.identity.UpstreamAccess;
import java.io.PrintWriter;
import dev.warden.identity.ServiceToken;
import dev.warden.recording.TerminalText;
import dev.warden.store.StoreException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "token",
        description = "Issue, list and revoke service tokens for identities.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: create, list or revoke");
    }

    @Command(
            name = "create",
            description = {
                "Create a service token and print it once. With --store it is kept in the gateway's store (as a",
                "verifier only) with an expiry and the targets it may reach, and can be revoked; without --store",
                "the command prints the identities: entry for the configuration file instead.",
                "The token itself is not stored anywhere."
            })
    static final class Create implements Callable<Integer> {

        /** Exit code when the store refused the token (the name already has a usable one). */
        static final int REFUSED = 1;

        private static final Pattern PLAIN_SCALAR = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
        /** Words a YAML parser would read as null or a boolean rather than as a name, so they are quoted. */
        private static final List<String> YAML_KEYWORDS = List.of("null", "true", "false", "yes", "no", "on", "off", "y", "n");

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Parameters(paramLabel = "NAME", description = "the identity: the PostgreSQL user name the client will connect as")
        String name;

        @Option(names = "--groups", split = ",", paramLabel = "GROUP", description = "groups the identity belongs to, comma-separated")
        List<String> groups = new ArrayList<>();

        @Option(names = "--access", paramLabel = "ACCESS", defaultValue = "read_only",
                description = "read_only or read_write: which upstream credential its sessions use (default: ${DEFAULT-VALUE})")
        String access;

        @Option(names = "--store", paramLabel = "URL",
                description = "keep the token in this store (as in warden.yaml: sqlite:FILE or postgresql://...)")
        String store;

        @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "24h",
                description = "with --store: how long the token is valid, e.g. 8h, 30d (default: ${DEFAULT-VALUE})")
        String ttl;

        @Option(names = "--target", paramLabel = "TARGET",
                description = "with --store: a target the token may connect to (repeat for several; at least one)")
        List<String> targets = new ArrayList<>();

        @Override
        public Integer call() {
            check("NAME", name);
            for (String group : groups) {
                check("--groups", group);
            }
            UpstreamAccess upstreamAccess = UpstreamAccess.fromConfigName(access).orElseThrow(() ->
                    new CommandLine.ParameterException(spec.commandLine(), "--access must be read_only or read_write"));
            if (store != null) {
                return createInStore(upstreamAccess);
            }
            if (!targets.isEmpty() || spec.commandLine().getParseResult().hasMatchedOption("--ttl")) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--ttl and --target apply to tokens kept in a store: add --store URL");
            }

            String token = ServiceTokens.newToken(new SecureRandom());
            ScramVerifier verifier = ScramVerifier.create(token, new SecureRandom());

            PrintWriter out = spec.commandLine().getOut();
            out.println("Service token for " + name + " (shown only this once):");
            out.println();
            out.println("    " + token);
            out.println();
            out.println("Add this entry under identities: in the configuration file:");
            out.println();
            out.println("  - name: " + yamlScalar(name));
            out.println("    verifier: \"" + verifier.encode() + "\"");
            out.println("    groups: [" + groups.stream().map(Create::yamlScalar).collect(Collectors.joining(", ")) + "]");
            out.println("    access: " + upstreamAccess.configName());
            out.println();
            out.println("The token is not stored anywhere; the configuration holds only its verifier.");
            out.println("The client uses it as the password for user " + name + ". If it is lost, create a new one.");
            out.flush();
            return 0;
        }

        private int createInStore(UpstreamAccess upstreamAccess) {
            if (targets.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--target is required with --store: a stored token reaches only the targets it names");
            }
            for (String target : targets) {
                check("--target", target);
            }
            Duration lifetime = StoredTokens.parseTtl(spec.commandLine(), ttl);
            SecureRandom random = new SecureRandom();
            String token = ServiceTokens.newToken(random);
            Instant now = Instant.now();
            ServiceToken stored = new ServiceToken(ServiceTokens.newId(random), name, ScramVerifier.create(token, random),
                    targets, groups, upstreamAccess, now, now.plus(lifetime), Optional.empty());
            PrintWriter err = spec.commandLine().getErr();
            try (StoredTokens tokens = StoredTokens.open(store)) {
                tokens.store().create(stored);
            } catch (StoreException | RuntimeException e) {
                err.println("cannot create the token in " + store + ": " + e.getMessage());
                err.flush();
                return e instanceof StoreException refused && refused.isRejected() ? REFUSED : RecordSources.STORE_UNAVAILABLE;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("Service token " + stored.id() + " for " + name + " (shown only this once):");
            out.println();
            out.println("    " + token);
            out.println();
            out.println("Valid until " + stored.expiresAt() + " for target(s) " + String.join(", ", targets)
                    + ", access " + upstreamAccess.configName()
                    + (groups.isEmpty() ? "" : ", groups " + String.join(", ", groups)) + ".");
            out.println("The store keeps only its verifier. The client uses it as the password for user " + name + ".");
            out.println("Revoke it with: warden token revoke " + stored.id() + " --store " + store);
            out.flush();
            return 0;
        }

        private void check(String what, String value) {
            Optional<String> problem = Names.problem(value);
            if (problem.isPresent()) {
                throw new CommandLine.ParameterException(spec.commandLine(), what + " " + problem.get());
            }
        }

        /** Names pass {@link Names} (no whitespace or control characters), so escaping quotes and backslashes suffices. */
        private static String yamlScalar(String value) {
            if (PLAIN_SCALAR.matcher(value).matches() && !YAML_KEYWORDS.contains(value.toLowerCase(Locale.ROOT))) {
                return value;
            }
            return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }

    @Command(name = "list", description = "List the service tokens in a store: never the tokens, only who, where and until when.")
    static final class ListTokens implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(names = "--store", paramLabel = "URL", required = true, description = "the gateway's store")
        String store;

        @Override
        public Integer call() {
            List<ServiceToken> tokens;
            try (StoredTokens stored = StoredTokens.open(store)) {
                tokens = stored.store().list();
            } catch (StoreException | RuntimeException e) {
                spec.commandLine().getErr().println("cannot list the tokens in " + store + ": " + e.getMessage());
                spec.commandLine().getErr().flush();
                return RecordSources.STORE_UNAVAILABLE;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(StoredTokens.table(tokens, Instant.now()));
            out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", description = {
        "Revoke a service token (by its id, or every unrevoked token of an identity by name).",
        "New logins with it fail at once; gateways also end its live sessions unless",
        "service_tokens.end_sessions_on_revoke is false."})
    static final class Revoke implements Callable<Integer> {
        /** Exit code when nothing matched: the caller probably mistyped the name. */
        static final int NOT_FOUND = 3;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Parameters(paramLabel = "ID_OR_NAME", description = "a token id (from token list) or an identity name")
        String idOrName;

        @Option(names = "--store", paramLabel = "URL", required = true, description = "the gateway's store")
        String store;

        @Override
        public Integer call() {
            int revoked;
            try (StoredTokens stored = StoredTokens.open(store)) {
                revoked = stored.store().revoke(idOrName, Instant.now());
            } catch (StoreException | RuntimeException e) {
                spec.commandLine().getErr().println("cannot revoke in " + store + ": " + e.getMessage());
                spec.commandLine().getErr().flush();
                return RecordSources.STORE_UNAVAILABLE;
            }
            if (revoked == 0) {
                spec.commandLine().getErr().println("no unrevoked token with id or name " + TerminalText.line(idOrName)
                        + " in " + store);
                spec.commandLine().getErr().flush();
                return NOT_FOUND;
            }
            spec.commandLine().getOut().println("revoked " + revoked + " token" + (revoked == 1 ? "" : "s"));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
