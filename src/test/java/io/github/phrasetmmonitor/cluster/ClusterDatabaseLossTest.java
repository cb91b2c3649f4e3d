package io.github.phrasetmmonitor.cluster;

import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PostgresSchema;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.TcpRelay;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node that loses the cluster database (reached through a relay the test cuts): readiness DOWN with one clear line,
 * and it stops polling rather than polling without shared state; when the database is back, it goes on.
 */
class ClusterDatabaseLossTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();
    @RegisterExtension
    final PostgresSchema database = new PostgresSchema();

    private int polls() {
        return bed.phrase().arrivals(".*/lastBackgroundTask").size();
    }

    @Test
    void aLostDatabaseStopsPollingAndMakesReadinessDownWithOneLine() throws Exception {
        bed.phrase().loginIssues("token-1").translationMemory("tmA", "Glossary EN-DE").lastTask("tmA", ok("task-1"));
        try (TcpRelay relay = new TcpRelay("127.0.0.1", 5432); LogCapture logs = LogCapture.attach()) {
            Map<String, String> settings = bed.settingsWatching("tmA");
            settings.putAll(database.clusterSettings("node-a"));
            settings.put("cluster.jdbc-url", "jdbc:postgresql://127.0.0.1:" + relay.port() + "/test");
            try (RunningMonitor monitor = RunningMonitor.start(settings)) {
                String ready = monitor.managementUrl() + "/health/ready";
                assertThat(monitor.awaitRounds(2, 60)).isTrue();
                await().atMost(Duration.ofSeconds(30)).until(() -> Management.get(ready).status() == 200);

                relay.cut();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> Management.get(ready + "?exposureLevel=full").body()
                                .contains("the cluster database cannot be reached"));
                assertThat(Management.get(ready).status()).isEqualTo(503);
                int pollsWhileCut = polls();
                await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                        .until(() -> polls() <= pollsWhileCut + 1);
                assertThat(logs.linesContaining("cannot be reached (")).as("one line, not one per tick").hasSize(1);

                relay.restore();
                await().atMost(Duration.ofSeconds(60)).until(() -> Management.get(ready).status() == 200);
                int pollsBack = polls();
                await().atMost(Duration.ofSeconds(30)).until(() -> polls() > pollsBack);
                assertThat(logs.linesContaining("The cluster database answers again")).hasSize(1);
            }
        }
    }
}
