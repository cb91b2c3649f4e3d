package io.github.phrasetmmonitor.cluster;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.MonitorProcess;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PostgresSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes, each in its own JVM, on one PostgreSQL schema with alert.summary-cron set: each period's summary is sent
 * once by the cluster, not once per node, and its ledger is the shared table.
 */
class SummaryClusterTest {

    @TempDir
    Path workDir;

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();
    @RegisterExtension
    final PostgresSchema database = new PostgresSchema();

    private final List<MonitorProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() throws Exception {
        for (MonitorProcess node : nodes) {
            node.close();
            List<String> lines = node.lines();
            lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(System.out::println);
        }
    }

    private void start(String name) throws Exception {
        Map<String, String> env = MonitorProcess.env(bed.phrase().baseUrl(), bed.slack().webhookUrl(),
                workDir.resolve("data-" + name), "tmFailed,tmOk");
        env.putAll(database.clusterEnvironment(name));
        env.put("MONITOR_STALE_AFTER", "60s");
        env.put("MONITOR_PROBLEM_CHECK_INTERVAL", "1s");
        env.put("ALERT_SUMMARY_CRON", "0/3 * * * * ?");
        nodes.add(MonitorProcess.start(workDir, env));
    }

    @Test
    void eachPeriodsSummaryIsSentOnceByTheCluster() throws Exception {
        MonitorProcess.prepareWorkDir(workDir);
        bed.phrase().translationMemory("tmFailed", "Glossary EN-DE").lastTask("tmFailed", failed("task-7", "broken"))
                .translationMemory("tmOk", "Legal FR").lastTask("tmOk", ok("task-1"));
        start("node-a");
        start("node-b");
        await().atMost(Duration.ofSeconds(60)).until(() -> summaries().stream()
                .anyMatch(post -> post.contains("Tasks failed: 1,")));
        int seen = summaries().size();
        // a few more periods, with both nodes up
        await().atMost(Duration.ofSeconds(60)).until(() -> summaries().size() >= seen + 3);
        for (MonitorProcess node : nodes) {
            node.terminate();
        }
        for (MonitorProcess node : nodes) {
            node.awaitExit(30);
        }

        assertThat(summaries().stream().filter(post -> post.contains("Tasks failed: 1,")))
                .as("the period with the failure is told once, not once per node").hasSize(1);
        assertThat(bed.slack().posts().stream().filter(post -> post.contains("task-7"))).hasSize(1);
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet sent = statement.executeQuery(
                     "SELECT count(*) FROM summary_ledger WHERE line LIKE '%\"type\":\"sent\"%'")) {
            assertThat(sent.next()).isTrue();
            assertThat(sent.getInt(1)).as("pruned to the last summary sent").isEqualTo(1);
        }
    }

    private List<String> summaries() {
        return bed.slack().posts().stream().filter(post -> post.contains("Phrase TM summary")).toList();
    }
}
