package io.github.phrasetmmonitor.tools;

import io.github.phrasetmmonitor.logging.StartupFailure;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The tools an operator runs from the deployment directory, beside a running monitor or instead of it:
 * {@code validate}, {@code explain}, {@code test-alert}, {@code silence} and {@code history}. Each reads the settings,
 * routes and templates the way a start does ({@link Deployment}), prints its findings on {@code out}, and returns its
 * exit code; none of them writes the monitor's incident journal ({@code history} only reads it). {@code silence add}
 * and {@code expire} write the ad-hoc silences, which the monitor keeps beside it ({@link SilenceTool}).
 */
public final class OperatorTools {

    public static final String USAGE = String.join(System.lineSeparator(),
            "       java -jar phrase-tm-monitor.jar [--profile <name>] validate",
            "       java -jar phrase-tm-monitor.jar [--profile <name>] explain <tm-uid>",
            "       java -jar phrase-tm-monitor.jar [--profile <name>] explain --task <lastBackgroundTask.json>"
                    + " --tm-name <name> [--tm-uid <uid>]",
            "       java -jar phrase-tm-monitor.jar [--profile <name>] test-alert",
            SilenceTool.USAGE,
            "       java -jar phrase-tm-monitor.jar [--profile <name>] history <tm-uid> | --incident <key>"
                    + " [--since <instant>] [--until <instant>]");

    private static final Set<String> TOOLS = Set.of("validate", "explain", "test-alert", "silence", "history");

    /** The log levels of a tool's command line, by logger ("" is the root), set in this order. */
    private static final List<Map.Entry<String, Level>> QUIET_LOGS = List.of(
            Map.entry("org.apache.camel", Level.WARN),
            Map.entry("io.github.phrasetmmonitor", Level.WARN),
            Map.entry("phrase-tm-monitor", Level.WARN),
            Map.entry("phrase-tm-monitor.poll", Level.ERROR),
            Map.entry("phrase-tm-monitor.alert", Level.ERROR),
            Map.entry("com.networknt", Level.ERROR),
            Map.entry("", Level.WARN));

    private final Path dir;
    private final Map<String, String> overrides;
    private final Clock clock;

    /** The tools for the working directory, as the jar runs them. */
    public OperatorTools() {
        this(Path.of(""), Map.of());
    }

    /**
     * @param dir       the deployment directory; explain and test-alert start the monitor, which reads the working
     *                  directory, so only validate can look at another
     * @param overrides settings that win over the files and the environment, as for a start; tests use them
     */
    public OperatorTools(Path dir, Map<String, String> overrides) {
        this(dir, overrides, Clock.systemUTC());
    }

    /** As {@link #OperatorTools(Path, Map)}, at the time of {@code clock} (the silence command's "now"). */
    public OperatorTools(Path dir, Map<String, String> overrides, Clock clock) {
        this.dir = dir;
        this.overrides = Map.copyOf(overrides);
        this.clock = clock;
    }

    /** Whether the command line asks for a tool rather than a start of the monitor. */
    public static boolean isTool(String[] args) {
        return withoutProfile(args).stream().findFirst().filter(TOOLS::contains).isPresent();
    }

    /** Runs the tool the arguments name; the exit code: 0 all good, 1 a problem found, 2 a wrong command line. */
    public int run(String[] args, PrintStream out, PrintStream err) {
        Optional<String> profile = profile(args);
        List<String> rest = withoutProfile(args);
        if (rest.isEmpty() || !TOOLS.contains(rest.get(0))) {
            err.println("usage:" + System.lineSeparator() + USAGE);
            return 2;
        }
        List<String> toolArgs = rest.subList(1, rest.size());
        try {
            Deployment deployment = new Deployment(dir, profile.or(() -> Optional.ofNullable(
                    System.getenv("CAMEL_MAIN_PROFILE"))), overrides);
            return switch (rest.get(0)) {
                case "validate" -> toolArgs.isEmpty() ? new ValidateTool(deployment).run(out) : usage(err);
                case "explain" -> ExplainTool.Request.parse(toolArgs)
                        .map(request -> new ExplainTool(deployment).run(request, out, err))
                        .orElseGet(() -> usage(err));
                case "test-alert" -> toolArgs.isEmpty() ? new TestAlertTool(deployment).run(out, err) : usage(err);
                case "silence" -> new SilenceTool(deployment, clock).run(toolArgs, out, err);
                case "history" -> {
                    Optional<HistoryTool.Request> request = HistoryTool.Request.parse(toolArgs);
                    yield request.isPresent() ? new HistoryTool(deployment).run(request.get(), out, err) : usage(err);
                }
                default -> usage(err);
            };
        } catch (Exception e) {
            err.println(rest.get(0) + ": " + StartupFailure.describe(e));
            return 1;
        }
    }

    private static int usage(PrintStream err) {
        err.println("usage:" + System.lineSeparator() + USAGE);
        return 2;
    }

    /**
     * For the command line, before {@link #run}: the tools print their own findings, which the monitor's start-up
     * lines (the settings summary, Camel's banner) would bury, and the monitor's line for a failed check or delivery
     * says what the next round does, which a tool's own line replaces. Other warnings still show. Log levels are the
     * process's, so tests that run the tools in-process leave them alone.
     */
    public static void quietLogs() {
        for (Map.Entry<String, Level> quiet : QUIET_LOGS) {
            if (quiet.getKey().isEmpty()) {
                Configurator.setRootLevel(quiet.getValue());
            } else {
                Configurator.setLevel(quiet.getKey(), quiet.getValue());
            }
        }
    }

    /** Whether the command line shows a log line of {@code logger} at {@code level}, once {@link #quietLogs}. */
    static boolean shownOnTheCommandLine(String logger, Level level) {
        Level closest = QUIET_LOGS.stream().filter(quiet -> quiet.getKey().isEmpty()
                        || logger.equals(quiet.getKey()) || logger.startsWith(quiet.getKey() + "."))
                .max(Comparator.comparingInt(quiet -> quiet.getKey().length())).orElseThrow().getValue();
        return level.isMoreSpecificThan(closest);
    }

    private static Optional<String> profile(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if ("--profile".equals(args[i]) || "-profile".equals(args[i])) {
                return Optional.of(args[i + 1]);
            }
        }
        return Optional.empty();
    }

    private static List<String> withoutProfile(String[] args) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (("--profile".equals(args[i]) || "-profile".equals(args[i])) && i + 1 < args.length) {
                i++;
            } else {
                rest.add(args[i]);
            }
        }
        return rest;
    }
}
