package io.github.phrasetmmonitor.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the monitor as ops do, in its own JVM and directory, configured by environment variables only. */
public final class MonitorProcess {

    public record Result(int exitCode, String output) {
    }

    private MonitorProcess() {
    }

    /** Runs until the process exits by itself (start-up failures do) or {@code seconds} pass. */
    public static Result runUntilExit(Path workDir, Map<String, String> env, int seconds) throws IOException,
            InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-cp",
                System.getProperty("java.class.path"), "io.github.phrasetmmonitor.MonitorApplication"))
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("PHRASE_") || key.startsWith("MONITOR_")
                || key.startsWith("ALERT_") || key.startsWith("CAMEL_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        boolean exited = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(exited ? process.exitValue() : -1, output);
    }
}
