package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseApiStub.status;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 9, done-when "upgrade": the monitor starts on a state dir written by the release before the incident
 * pipeline (src/test/resources/upgrade/release-0.x, written by that release's own AlertState and ProblemState: see
 * UpgradeFromReleaseZeroUnitTest for what it holds). Nothing is sent twice; what was owed is sent once; the open
 * problem's recovery still comes. Real routes against a WireMock Phrase, a recording Slack webhook and GreenMail.
 */
class UpgradeTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    private List<String> subjects() {
        return bed.mailSubjects();
    }

    @Test
    void aStateDirOfTheEarlierReleaseIsReadAndNothingIsSentTwice() throws Exception {
        for (String journal : List.of("alerts-sent.journal", "monitor-problems.journal")) {
            Files.copy(Path.of("src/test/resources/upgrade/release-0.x").resolve(journal),
                    bed.stateDir().resolve(journal));
        }
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmA", "Docs EN-DE").lastTask("tmA", failed("taskA1", "Invalid TMX"))
                .translationMemory("tmB", "Docs EN-FR").lastTask("tmB", failed("taskB1", "Import failed"))
                .translationMemory("tmC", "Docs EN-IT").lastTask("tmC", ok("taskC2"))
                .translationMemory("tmE", "Docs EN-PL").lastTask("tmE", ok("taskE2"));
        bed.phrase().server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                "/web/api2/v1/transMemories/tmF").willReturn(status(404).withBody("{\"errorCode\":\"NotFound\"}")));
        Map<String, String> settings = bed.settingsWatching("tmA,tmB,tmC,tmE,tmF");
        settings.put("monitor.problem-check-interval", "300ms");
        settings.put("phrase.max-retries", "0");

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            // Slack: tmC's resolved notice, tmE's and the credentials' recoveries, tmF's problem (no channel had it)
            // email: tmB's pending alert, the credentials' recovery, tmF's problem
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> bed.slack().posts().size() == 4 && subjects().size() == 3);
            assertThat(monitor.awaitRounds(3, 30)).isTrue();
        }
        List<String> slack = bed.slack().posts();
        assertThat(slack).hasSize(4);
        assertThat(slack).filteredOn(post -> post.contains("Docs EN-IT")).singleElement().asString()
                .contains("Resolved");
        assertThat(slack).filteredOn(post -> post.contains("tm-failing:tmE")).singleElement().asString()
                .contains("Recovered");
        assertThat(slack).filteredOn(post -> post.contains("(credentials)")).singleElement().asString()
                .contains("Recovered");
        assertThat(slack).filteredOn(post -> post.contains("tm-not-found:tmF")).singleElement().asString()
                .contains("Problem");
        assertThat(slack).noneMatch(post -> post.contains("Docs EN-DE") || post.contains("Docs EN-FR"));
        assertThat(subjects()).containsExactlyInAnyOrder("[Phrase TM] IMPORT_TMX failed: Docs EN-FR",
                "[Phrase TM] Recovered: the Phrase account, login as user 'ops-bot'",
                "[Phrase TM] Monitor problem: TM tmF");
        assertThat(bed.stateDir().resolve("alerts-sent.journal.upgraded")).exists();

        try (RunningMonitor again = RunningMonitor.start(settings)) {
            assertThat(again.awaitRounds(3, 30)).isTrue();
        }
        assertThat(bed.slack().posts()).as("nothing again after a restart").hasSize(4);
        assertThat(subjects()).hasSize(3);
    }
}
