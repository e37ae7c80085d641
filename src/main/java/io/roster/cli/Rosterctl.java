package io.roster.cli;

import io.roster.client.ClusterUnavailableException;
import io.roster.client.RosterClient;
import io.roster.client.RosterException;
import io.roster.client.RosterServerException;
import io.roster.config.InvalidConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * {@code rosterctl}, Roster's command-line client, in the spirit of etcdctl. It talks to the members'
 * REST API through {@link RosterClient} and never starts Spring: the launcher runs this class from the
 * server's jar through Spring Boot's {@code PropertiesLauncher} ({@code bin/rosterctl}).
 */
@Command(name = "rosterctl", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = Rosterctl.Version.class, sortOptions = false, usageHelpAutoWidth = true,
        description = "The command-line client of Roster, a Raft-replicated service registry and key-value store.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:error: the server refused the request, an endpoint is unhealthy, a local file failed",
                "2:usage error: unknown command or option, missing or malformed argument",
                "3:no endpoint answered (unreachable, timed out, or 503: no leader/quorum)",
                "4:not found: no such key, lease, instance or member",
                "5:conflict: compare-and-swap failed, or a membership change was refused"},
        footerHeading = "%nEnvironment:%n",
        footer = {"  ROSTERCTL_ENDPOINTS, ROSTERCTL_WRITE_OUT, ROSTERCTL_COMMAND_TIMEOUT, ROSTERCTL_DIAL_TIMEOUT,",
                "  ROSTERCTL_TOKEN set the global options of the same name (the command line wins)."})
public final class Rosterctl implements Runnable {

    public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:2379";

    /** The commands, by name and alias, in the order help lists them. */
    private static final Map<String, Class<?>> COMMANDS = commands();

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        commands.put("member", MemberCommands.class);
        commands.put("endpoint", EndpointCommands.class);
        commands.put("put", KvCommands.Put.class);
        commands.put("get", KvCommands.Get.class);
        commands.put("del", KvCommands.Del.class);
        commands.put("delete", KvCommands.Del.class);
        commands.put("watch", KvCommands.Watch.class);
        commands.put("lease", LeaseCommands.class);
        commands.put("service", ServiceCommands.class);
        commands.put("snapshot", SnapshotCommands.class);
        commands.put("user", AuthCommands.Users.class);
        commands.put("role", AuthCommands.Roles.class);
        commands.put("auth", AuthCommands.Switch.class);
        commands.put("version", VersionCommand.class);
        return commands;
    }

    @Option(names = "--endpoints", split = ",", paramLabel = "URL", scope = ScopeType.INHERIT,
            defaultValue = DEFAULT_ENDPOINT,
            description = "Client URLs of the members, tried in turn (env ROSTERCTL_ENDPOINTS; default ${DEFAULT-VALUE}).")
    List<String> endpoints;

    @Option(names = {"-w", "--write-out"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT, defaultValue = "simple",
            description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--command-timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT, defaultValue = "5s",
            converter = DurationConverter.class,
            description = "How long to wait for one endpoint's answer (default ${DEFAULT-VALUE}).")
    Duration commandTimeout;

    @Option(names = "--dial-timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT, defaultValue = "2s",
            converter = DurationConverter.class,
            description = "How long to wait for a connection to one endpoint (default ${DEFAULT-VALUE}).")
    Duration dialTimeout;

    @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
            description = "Bearer token for members that require one (roster.auth.tokens). Prefer env ROSTERCTL_TOKEN: "
                    + "a command line is visible to every user of the machine.")
    String token;

    @Option(names = "--user", paramLabel = "NAME[:PASSWORD]", scope = ScopeType.INHERIT,
            description = "Sign in as this user (users and roles, rosterctl auth enable) and send the token it gets."
                    + " Without :PASSWORD, the password comes from env ROSTERCTL_PASSWORD.")
    String user;

    /** ROSTERCTL_PASSWORD, for --user without a password. */
    String passwordFromEnvironment;

    /** ROSTERCTL_NEW_PASSWORD, for user add and user passwd without a password on the command line. */
    String newPasswordFromEnvironment;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private RosterClient client;

    @Override
    public void run() {
        // no command: show what there is, as etcdctl does
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    RosterClient client(CommandLine commandLine) {
        if (client == null) {
            RosterClient.Builder builder = RosterClient.builder().dialTimeout(dialTimeout).requestTimeout(commandTimeout);
            try {
                builder.token(user == null ? token : signIn(commandLine));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, "--token: " + e.getMessage());
            }
            try {
                client = builder.endpoints(endpoints).build();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, "--endpoints: " + e.getMessage());
            }
        }
        return client;
    }

    /** Trades --user's name and password for a token, with a client of its own. */
    private String signIn(CommandLine commandLine) {
        Credentials credentials = Credentials.parse(user, passwordFromEnvironment);
        if (credentials.name().isEmpty() || !credentials.hasPassword()) {
            throw new CommandLine.ParameterException(commandLine, "--user: give NAME:PASSWORD, or NAME with env ROSTERCTL_PASSWORD");
        }
        try (RosterClient anonymous = RosterClient.builder().dialTimeout(dialTimeout).requestTimeout(commandTimeout)
                .endpoints(endpoints).build()) {
            return anonymous.auth().authenticate(credentials.name(), credentials.password()).token();
        }
    }

    // ---- running ----

    public static void main(String[] args) {
        // Quiet the libraries that log (JRaft, during snapshot restore): warnings only, on stderr.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/roster/cli/logback-rosterctl.xml");
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int exitCode = run(args, out, err, System.getenv());
        out.flush();
        err.flush();
        stopHttpClientThreads();
        System.exit(exitCode);
    }

    /**
     * Ends java.net.http's selector threads before the JVM exits. Such a thread waits in native code (epoll),
     * and the JVM's exit waits up to 300 ms for threads in native code to settle
     * ({@code VM_Exit::wait_for_threads_in_native_to_block}): a third of rosterctl's run time. On JDK 17
     * HttpClient has no close(); its selector thread ends when interrupted. This process is about to exit,
     * so every HttpClient in it is rosterctl's own.
     */
    static void stopHttpClientThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count = root.enumerate(threads, true);
        List<Thread> selectors = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = threads[i].getName();
            if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
                threads[i].interrupt();
                selectors.add(threads[i]);
            }
        }
        for (Thread selector : selectors) {
            try {
                selector.join(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Runs one command line, as {@code main} does without exiting: what tests call.
     *
     * @param env the environment the ROSTERCTL_* defaults come from
     * @return the exit code ({@link ExitCodes})
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        return commandLine(out, err, env, args).execute(args);
    }

    /** The configured command line with every command (for tests that inspect it). */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env) {
        return commandLine(out, err, env, null);
    }

    /**
     * The configured command line. picocli builds its model of each command by reflection when the command is
     * registered, so only the commands named in {@code args} are (all of them for help, or when none is named,
     * so that usage and "did you mean" suggestions see every command): a faster start for a one-shot client.
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env, String[] args) {
        Set<String> named = args == null ? Set.of() : new HashSet<>(Arrays.asList(args));
        boolean all = args == null || named.contains("help") || COMMANDS.keySet().stream().noneMatch(named::contains);
        Rosterctl root = new Rosterctl();
        root.passwordFromEnvironment = env.get("ROSTERCTL_PASSWORD");
        root.newPasswordFromEnvironment = env.get("ROSTERCTL_NEW_PASSWORD");
        CommandLine commandLine = new CommandLine(root);
        Set<Class<?>> added = new HashSet<>();
        COMMANDS.forEach((name, command) -> {
            if ((all || named.contains(name)) && added.add(command)) {
                commandLine.addSubcommand(command);
            }
        });
        if (all) {
            commandLine.addSubcommand(CommandLine.HelpCommand.class);
        }
        // after the subcommands: these settings reach the subcommands registered when they are made
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setDefaultValueProvider(new EnvironmentDefaults(env));
        commandLine.setParameterExceptionHandler(Rosterctl::handleUsageError);
        commandLine.setExecutionExceptionHandler((error, failed, parseResult) -> handleFailure(error, failed));
        return commandLine;
    }

    private static int handleUsageError(CommandLine.ParameterException error, String[] args) {
        CommandLine failed = error.getCommandLine();
        PrintWriter err = failed.getErr();
        err.println("Error: " + error.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(error, err);
        err.println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** One line on stderr, {@code Error: …}, and the exit code that says what kind of failure it was. */
    static int handleFailure(Exception error, CommandLine failed) {
        if (error instanceof CommandLine.ParameterException) {
            return handleUsageError((CommandLine.ParameterException) error, new String[0]);
        }
        PrintWriter err = failed.getErr();
        err.println("Error: " + message(error));
        err.flush();
        return exitCode(error);
    }

    static int exitCode(Throwable error) {
        if (error instanceof ClusterUnavailableException) {
            return ExitCodes.UNAVAILABLE;
        }
        if (error instanceof RosterServerException) {
            RosterServerException server = (RosterServerException) error;
            if (server.status() == 404) {
                return ExitCodes.NOT_FOUND;
            }
            if (server.status() == 409) {
                return ExitCodes.CONFLICT;
            }
            return ExitCodes.ERROR;
        }
        if (error instanceof InvalidConfigurationException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.ERROR;
    }

    static String message(Throwable error) {
        if (error instanceof RosterException || error instanceof InvalidConfigurationException) {
            return error.getMessage();
        }
        if (error instanceof UncheckedIOException && error.getCause() != null) {
            return message(error.getCause());
        }
        if (error instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + error.getMessage();
        }
        if (error instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + error.getMessage();
        }
        if (error instanceof java.nio.file.FileAlreadyExistsException) {
            return "already exists: " + error.getMessage();
        }
        if (error instanceof IOException || error instanceof IllegalStateException || error instanceof IllegalArgumentException) {
            return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        }
        return error.toString();
    }

    /** ROSTERCTL_ENDPOINTS and friends: the global options' defaults from the environment. */
    static final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
        private static final List<String> GLOBAL = List.of("--endpoints", "--write-out", "--command-timeout", "--dial-timeout", "--token",
                "--user");
        private final Map<String, String> env;

        EnvironmentDefaults(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public String defaultValue(ArgSpec argument) {
            if (!(argument instanceof OptionSpec)) {
                return null;
            }
            String name = ((OptionSpec) argument).longestName();
            if (!GLOBAL.contains(name)) {
                return null;
            }
            String value = env.get("ROSTERCTL_" + name.substring(2).toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            return value == null || value.isBlank() ? null : value.trim();
        }
    }

    /** The version this jar was built as (from Spring Boot's build-info), or {@code development}. */
    public static String version() {
        try (InputStream in = Rosterctl.class.getClassLoader().getResourceAsStream("META-INF/build-info.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("build.version", "development");
            }
        } catch (IOException e) {
            // fall through
        }
        return "development";
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rosterctl version: " + version(), "API version: v1"};
        }
    }
}
