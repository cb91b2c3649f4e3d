package io.github.phrasetmmonitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.support.FreePort;
import io.github.phrasetmmonitor.support.MonitorProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, on the jar that {@code mvn package} built: the demo runs from a copy of the shipped
 * files and alerts its failed TM on Slack and by email, then stops on SIGTERM. The other tests run on the test
 * classpath, which holds more than the jar does (camel-seda came in through camel-test-junit5, so a jar without it
 * passed every one of them and could not start). Runs in failsafe's integration-test phase, after packaging.
 */
class ShippedJarIT {

    @TempDir
    Path workDir;

    @Test
    void theDemoRunsFromTheShippedJarAndStopsOnSigterm() throws Exception {
        // the demo's fixed ports are moved to free ones in this copy, so this runs beside a demo someone has started
        MonitorProcess.prepareDemoWorkDir(workDir);
        Map<String, String> env = Map.of("MONITOR_MANAGEMENT_PORT", Integer.toString(FreePort.pick()));

        try (MonitorProcess monitor = MonitorProcess.startJar(workDir, Path.of("target", "phrase-tm-monitor.jar"),
                List.of("--profile", "demo"), env)) {
            monitor.awaitLine("Slack alert for TM demoLegal", 90);
            monitor.awaitLine("Email alert for TM demoLegal", 30);
            monitor.awaitLine(">>> Email received", 30);

            monitor.terminate();
            assertThat(monitor.awaitExit(45)).as("stopped on SIGTERM; it wrote:%n%s", monitor.output()).isTrue();
            assertThat(monitor.output()).doesNotContain("cannot start", "ERROR [", "\tat ");
        }
    }
}
