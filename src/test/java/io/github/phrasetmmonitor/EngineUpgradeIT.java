package io.github.phrasetmmonitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.support.FreePort;
import io.github.phrasetmmonitor.support.MonitorProcess;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23: an upgrade changes the engine and leaves ops' files alone. A deployment directory made for this release
 * (its routes/, templates and settings) is started with a "new release": a copy of the built jar whose engine route
 * was changed. It starts cleanly and runs the new engine's route, with nothing in the directory changed.
 */
class EngineUpgradeIT {

    private static final String ENGINE_ROUTE = "engine/deliver-alerts.camel.yaml";
    private static final String SENT_LINE = "sent${variable.deliveryNote}\"";
    private static final String NEW_RELEASE_MARK = " (engine of the next release)";

    @TempDir
    Path workDir;

    @Test
    void aChangedEngineRouteInANewJarRunsWithOpsFilesUntouched() throws Exception {
        MonitorProcess.prepareDemoWorkDir(workDir);
        Map<String, String> opsFilesBefore = contents(workDir);
        Path newJar = workDir.resolve("next-release.jar");
        Files.copy(Path.of("target", "phrase-tm-monitor.jar"), newJar);
        try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + newJar.toUri()), Map.of())) {
            Path route = jar.getPath(ENGINE_ROUTE);
            String engine = Files.readString(route);
            assertThat(engine).as("the line this test changes").contains(SENT_LINE);
            Files.writeString(route, engine.replace(SENT_LINE, "sent${variable.deliveryNote}" + NEW_RELEASE_MARK
                    + "\""));
        }
        Map<String, String> env = Map.of("MONITOR_MANAGEMENT_PORT", Integer.toString(FreePort.pick()));

        try (MonitorProcess monitor = MonitorProcess.startJar(workDir, newJar, List.of("--profile", "demo"), env)) {
            monitor.awaitLine("Slack alert for TM demoLegal", 90);
            monitor.awaitLine(NEW_RELEASE_MARK, 30);

            monitor.terminate();
            assertThat(monitor.awaitExit(45)).as("stopped on SIGTERM; it wrote:%n%s", monitor.output()).isTrue();
            assertThat(monitor.output()).as("a clean start: no refusal, no error")
                    .doesNotContain("cannot start", "ERROR [", "\tat ", "defines route");
        }
        Map<String, String> opsFilesAfter = contents(workDir);
        opsFilesAfter.keySet().removeIf(name -> !opsFilesBefore.containsKey(name));
        assertThat(opsFilesAfter).as("ops' files are as they were").isEqualTo(opsFilesBefore);
    }

    /** The text of each of ops' files in the deployment directory (route files, templates, settings). */
    private static Map<String, String> contents(Path dir) throws Exception {
        Map<String, String> contents = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(file).toString();
                if (name.endsWith(".yaml") || name.endsWith(".properties")) {
                    contents.put(name, Files.readString(file));
                }
            }
        }
        return contents;
    }
}
