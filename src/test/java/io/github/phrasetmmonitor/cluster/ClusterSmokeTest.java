package io.github.phrasetmmonitor.cluster;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PostgresSchema;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClusterSmokeTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();
    @RegisterExtension
    final PostgresSchema database = new PostgresSchema();

    @Test
    void oneNodeAlertsFromTheSharedState() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmA", "Glossary EN-DE").lastTask("tmA", failed("task-1", "TMX broken"))
                .translationMemory("tmB", "Support EN-FR").lastTask("tmB", ok("task-2"));
        Map<String, String> settings = bed.settingsWatching("tmA,tmB");
        settings.putAll(database.clusterSettings("node-a"));
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() >= 1);
            assertThat(monitor.awaitRounds(2, 20)).isTrue();
        }
        assertThat(bed.slack().posts()).hasSize(1);
        assertThat(bed.slack().posts().get(0)).contains("task-1");
    }
}
