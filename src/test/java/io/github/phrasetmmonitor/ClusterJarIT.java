package io.github.phrasetmmonitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.support.FreePort;
import io.github.phrasetmmonitor.support.MonitorProcess;
import io.github.phrasetmmonitor.support.PostgresSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode from the jar `mvn package` built: the PostgreSQL driver, HikariCP, Flyway and its PostgreSQL support
 * are found inside the shaded jar (Flyway finds its database support through service files), the schema is migrated,
 * and the demo's failed TM is alerted through the shared state.
 */
class ClusterJarIT {

    @TempDir
    Path workDir;
    @RegisterExtension
    final PostgresSchema database = new PostgresSchema();

    @Test
    void theJarRunsTheDemoAsAClusterNodeOnPostgresql() throws Exception {
        // the demo's fixed ports are moved to free ones in this copy, so this runs beside a demo someone has started
        MonitorProcess.prepareDemoWorkDir(workDir);
        Map<String, String> env = new LinkedHashMap<>(database.clusterEnvironment("jar-node"));
        env.put("MONITOR_MANAGEMENT_PORT", Integer.toString(FreePort.pick()));

        try (MonitorProcess monitor = MonitorProcess.startJar(workDir, Path.of("target", "phrase-tm-monitor.jar"),
                List.of("--profile", "demo"), env)) {
            monitor.awaitLine("migration(s) applied", 90);
            monitor.awaitLine("Slack alert for TM demoLegal", 90);
            monitor.terminate();
            assertThat(monitor.awaitExit(45)).as("stopped on SIGTERM; it wrote:%n%s", monitor.output()).isTrue();
            assertThat(monitor.output()).contains("this node is jar-node")
                    .doesNotContain("cannot start", "ERROR [", "\tat ");
        }
        try (var files = Files.walk(workDir)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).as("the state is in PostgreSQL, not in a file")
                    .doesNotContain("incidents.journal");
        }
    }
}
