package io.github.phrasetmmonitor.support;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** Runs the monitor as ops do, in its own JVM and directory, configured by environment variables only. */
public final class MonitorProcess implements AutoCloseable {

    /** coreutils' env, which can reset a signal's disposition before it runs a program (Debian 12: coreutils 9.1). */
    private static final Path ENV = Path.of("/usr/bin/env");

    public record Result(int exitCode, String output) {
    }

    private final Process process;
    private final Path outputFile;

    private MonitorProcess(Process process, Path outputFile) {
        this.process = process;
        this.outputFile = outputFile;
    }

    /** Runs until the process exits by itself (start-up failures do) or {@code seconds} pass. */
    public static Result runUntilExit(Path workDir, Map<String, String> env, int seconds) throws IOException,
            InterruptedException {
        try (MonitorProcess monitor = start(workDir, env)) {
            boolean exited = monitor.process.waitFor(seconds, TimeUnit.SECONDS);
            if (!exited) {
                monitor.kill();
            }
            return new Result(exited ? monitor.process.exitValue() : -1, monitor.output());
        }
    }

    /** Runs the built jar with {@code args} until it exits by itself (the operator tools do) or {@code seconds} pass. */
    public static Result runJarUntilExit(Path workDir, Path jar, List<String> args, Map<String, String> env,
                                         int seconds) throws IOException, InterruptedException {
        try (MonitorProcess monitor = startJar(workDir, jar, args, env)) {
            boolean exited = monitor.process.waitFor(seconds, TimeUnit.SECONDS);
            if (!exited) {
                monitor.kill();
            }
            return new Result(exited ? monitor.process.exitValue() : -1, monitor.output());
        }
    }

    /** Starts the monitor in {@code workDir} (see {@link #prepareWorkDir}); the environment is its only configuration. */
    public static MonitorProcess start(Path workDir, Map<String, String> env) throws IOException {
        return start(workDir, env, List.of("-cp", System.getProperty("java.class.path"),
                "io.github.phrasetmmonitor.MonitorApplication"));
    }

    /**
     * Starts the built jar as the README says ({@code java -jar phrase-tm-monitor.jar <args>}), so what runs is what
     * ships: only the jar's own dependencies, none of the tests'.
     */
    public static MonitorProcess startJar(Path workDir, Path jar, List<String> args, Map<String, String> env)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("-jar", jar.toAbsolutePath().toString()));
        command.addAll(args);
        return start(workDir, env, command);
    }

    private static MonitorProcess start(Path workDir, Map<String, String> env, List<String> what) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(ENV)) {
            // as a service manager starts it: SIGHUP at its default, even when these tests run under nohup (which
            // ignores it, and the JVM would then never see the reload's signal); env execs java, so the pid is java's
            command.addAll(List.of(ENV.toString(), "--default-signal=HUP"));
        }
        command.addAll(List.of(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        command.addAll(what);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        // a file, not a pipe: Process.destroy() closes the pipe, and the shutdown's log lines would be lost
        Path outputFile = Files.createTempFile(workDir, "monitor-", ".out");
        builder.redirectOutput(outputFile.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("PHRASE_") || key.startsWith("MONITOR_")
                || key.startsWith("ALERT_") || key.startsWith("CAMEL_") || key.startsWith("TLS_")
                || key.startsWith("PROXY_"));
        builder.environment().putAll(env);
        return new MonitorProcess(builder.start(), outputFile);
    }

    /** A directory holding copies of the project's application.properties, routes/ and templates/, as ops deploy them. */
    public static Path prepareWorkDir(Path workDir) throws IOException {
        Files.createDirectories(workDir.resolve("routes"));
        try (var routes = Files.newDirectoryStream(Path.of("routes"), "*.camel.yaml")) {
            for (Path route : routes) {
                Files.copy(route, workDir.resolve(route));
            }
        }
        Files.createDirectories(workDir.resolve("templates"));
        try (var templates = Files.newDirectoryStream(Path.of("templates"), "*.yaml")) {
            for (Path template : templates) {
                Files.copy(template, workDir.resolve(template));
            }
        }
        Files.copy(Path.of("application.properties"), workDir.resolve("application.properties"));
        return workDir;
    }

    /**
     * {@link #prepareWorkDir} plus the demo's files ({@code demo/*.camel.yaml}, {@code application-demo.properties}),
     * with the demo's fixed ports moved to free ones, so the demo runs from it beside one someone has started.
     */
    public static Path prepareDemoWorkDir(Path workDir) throws IOException {
        prepareWorkDir(workDir);
        Files.createDirectories(workDir.resolve("demo"));
        try (var demo = Files.newDirectoryStream(Path.of("demo"), "*.camel.yaml")) {
            for (Path route : demo) {
                Files.copy(route, workDir.resolve(route));
            }
        }
        // in one pass: a free port picked for one of them may itself contain the other's digits (33025)
        Map<String, String> ports = Map.of("8765", Integer.toString(FreePort.pick()),
                "3025", Integer.toString(FreePort.pick()));
        java.util.regex.Pattern demoPorts = java.util.regex.Pattern.compile("\\b(8765|3025)\\b");
        String demoSettings = demoPorts.matcher(Files.readString(Path.of("application-demo.properties")))
                .replaceAll(port -> ports.get(port.group(1)));
        if (demoPorts.matcher(demoSettings).find()) {
            throw new IllegalStateException("the demo's ports were not all moved: " + demoSettings);
        }
        Files.writeString(workDir.resolve("application-demo.properties"), demoSettings);
        return workDir;
    }

    /** Environment for a monitor that polls every second and alerts to Slack only, on free ports. */
    public static Map<String, String> env(String phraseBaseUrl, String slackWebhookUrl, Path stateDir,
                                          String tmUids) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PHRASE_BASE_URL", phraseBaseUrl);
        env.put("PHRASE_API_TOKEN", "process-test-token");
        env.put("MONITOR_TM_UIDS", tmUids);
        env.put("MONITOR_CRON", "0/1 * * * * ?");
        env.put("MONITOR_STATE_DIR", stateDir.toString());
        env.put("MONITOR_MANAGEMENT_PORT", Integer.toString(FreePort.pick()));
        env.put("ALERT_CHANNELS", "slack");
        env.put("ALERT_SLACK_WEBHOOK_URL", slackWebhookUrl);
        env.put("ALERT_DELIVERY_RETRIES", "1");
        env.put("ALERT_DELIVERY_RETRY_DELAY", "50ms");
        return env;
    }

    public long pid() {
        return process.pid();
    }

    public List<String> lines() {
        try {
            return new String(Files.readAllBytes(outputFile), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String output() {
        return String.join("\n", lines());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until a line containing {@code text} was printed. */
    public void awaitLine(String text, int seconds) {
        Awaitility.await().atMost(Duration.ofSeconds(seconds))
                .until(() -> output().contains(text) || !process.isAlive());
        if (!output().contains(text)) {
            throw new AssertionError("the monitor exited without printing '" + text + "':\n" + output());
        }
    }

    /** SIGTERM, as an orchestrator stops a container. */
    public void terminate() {
        process.destroy();
    }

    /** kill -9: no shutdown hook, no flush, nothing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** @return true when the process exited within {@code seconds} */
    public boolean awaitExit(int seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
