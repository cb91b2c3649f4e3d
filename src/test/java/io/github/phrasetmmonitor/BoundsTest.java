package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing the monitor reads or talks to can stop it (issue 14), with the shipped settings unless a test says
 * otherwise: one TM answering more than monitor.max-answer-size, one TM trickling its answer a byte at a time, and a
 * Slack webhook that never answers. What must hold each time: the other TMs are polled every round, a healthy TM's
 * failure is alerted, one line names the culprit, and the culprit is polled normally again once it behaves.
 */
class BoundsTest {

    /** Valid JSON, larger than the shipped 2 MB limit. */
    private static final String HUGE_ANSWER = "{\"id\":\"1\",\"status\":\"OK\",\"padding\":\"" + "x".repeat(3 << 20)
            + "\"}";

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmGood", "Glossary EN-DE")
                .lastTask("tmGood", failed("task-good", "Import failed"))
                .translationMemory("tmCulprit", "Culprit EN-FR")
                .translationMemory("tmCalm", "Calm EN-IT")
                .lastTask("tmCalm", okJson("{\"id\":\"7\",\"status\":\"OK\"}"));
    }

    private int lastTaskCalls(String uid) {
        return bed.phrase().server().countRequestsMatching(getRequestedFor(
                urlEqualTo("/web/api2/v1/transMemories/" + uid + "/lastBackgroundTask")).build()).getCount();
    }

    private Map<String, String> settings() {
        Map<String, String> settings = bed.settingsWatching("tmCulprit,tmGood,tmCalm");
        settings.put("alert.channels", "slack,email");
        return settings;
    }

    @Test
    void anAnswerLargerThanTheLimitSkipsThatTmAloneAndPollingResumesWhenItIsNormal() throws Exception {
        bed.phrase().lastTask("tmCulprit", okJson(HUGE_ANSWER));
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1);
            assertThat(bed.slack().posts().get(0)).contains("task-good");
            int calmCalls = lastTaskCalls("tmCalm");
            // the round under way may have polled tmCalm already: of the next 4 rounds to end, 3 poll it afresh
            assertThat(monitor.awaitRounds(4, 30)).as("the other TMs are polled every round").isTrue();
            assertThat(lastTaskCalls("tmCalm")).isGreaterThanOrEqualTo(calmCalls + 3);

            List<String> lines = logs.linesContaining("TM tmCulprit skipped this round").stream()
                    .filter(line -> !line.contains("still running")).toList();
            assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line)
                    .contains("GET /api2/v1/transMemories/tmCulprit/lastBackgroundTask",
                            "larger than monitor.max-answer-size (2 MB)")
                    .hasSizeLessThan(400));
            assertThat(logs.all()).doesNotContain("OutOfMemoryError", "\tat ");

            bed.phrase().lastTask("tmCulprit", failed("task-culprit", "Import failed too"));
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().stream()
                    .anyMatch(post -> post.contains("task-culprit")));
        }
    }

    @Test
    void anAnswerTrickledAByteAtATimeIsCutNearTheReadTimeoutWhileTheOthersArePolled() throws Exception {
        // about one byte a second: WireMock sends the body in as many chunks as it has bytes, spread over the time
        String document = failed("task-trickle", "x");
        bed.phrase().lastTask("tmCulprit", okJson(document)
                .withChunkedDribbleDelay(document.length(), document.length() * 1000));
        Map<String, String> settings = settings();
        settings.put("phrase.read-timeout", "3s");
        settings.put("phrase.max-retries", "0");
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            Instant started = Instant.now();
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1);
            int calmCalls = lastTaskCalls("tmCalm");
            // the round under way may have polled tmCalm already: of the next 3 rounds to end, 2 poll it afresh
            assertThat(monitor.awaitRounds(3, 10)).as("rounds go on while the trickle lasts").isTrue();
            assertThat(lastTaskCalls("tmCalm")).isGreaterThanOrEqualTo(calmCalls + 2);

            await().atMost(Duration.ofSeconds(20)).until(() -> !logs.linesContaining(
                    "lastBackgroundTask did not complete within 3 s").isEmpty());
            assertThat(Duration.between(started, Instant.now())).as("cut near phrase.read-timeout, not after the"
                    + " whole trickle (%s s)", document.length()).isLessThan(Duration.ofSeconds(document.length() / 2));
            assertThat(logs.linesContaining("TM tmCulprit skipped this round")).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).doesNotContain("\n"));
            assertThat(bed.slack().posts()).noneMatch(post -> post.contains("task-trickle"));
        }
    }

    @Test
    void aSlackWebhookThatNeverAnswersDelaysNeitherEmailNorPolling() throws Exception {
        bed.slack().slowDown();
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings())) {
            Instant started = Instant.now();
            await().atMost(Duration.ofSeconds(15)).until(() -> bed.smtp().getReceivedMessages().length == 1);
            assertThat(Duration.between(started, Instant.now())).as("email does not wait for Slack's 10 s timeout")
                    .isLessThan(Duration.ofSeconds(8));
            int calmCalls = lastTaskCalls("tmCalm");
            // the round under way may have polled tmCalm already: of the next 4 rounds to end, 3 poll it afresh
            assertThat(monitor.awaitRounds(4, 12)).as("polling does not wait for Slack either").isTrue();
            assertThat(lastTaskCalls("tmCalm")).isGreaterThanOrEqualTo(calmCalls + 3);

            await().atMost(Duration.ofSeconds(40)).until(() -> !logs.linesContaining(
                    "slack alert for TM tmGood task task-good not delivered").isEmpty());
            assertThat(logs.linesContaining("slack alert for TM tmGood task task-good not delivered").get(0))
                    .contains("did not answer within 10 s (alert.slack.timeout)");

            bed.slack().speedUp();
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1);
            assertThat(bed.smtp().getReceivedMessages()).as("email was not repeated").hasSize(1);
        }
    }

    @Test
    void aGzipHeaderOnAPlainBodyIsOneClearLineNotANetworkFault() throws Exception {
        bed.phrase().lastTask("tmCulprit", aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("Content-Encoding", "gzip").withBody(failed("task-gz", "x")));
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !logs.linesContaining(
                    "says Content-Encoding gzip but is not gzip data").isEmpty());
            assertThat(monitor.awaitRounds(1, 10)).isTrue();
            assertThat(logs.linesContaining("TM tmCulprit skipped this round"))
                    .filteredOn(line -> !line.contains("still running"))
                    .allSatisfy(line -> assertThat(line).contains("says Content-Encoding gzip but is not gzip data"));
            int roundsWithALine = logs.linesContaining("TM tmCulprit skipped this round").size();
            assertThat(lastTaskCalls("tmCulprit")).as("not retried like a lost connection")
                    .isLessThanOrEqualTo(roundsWithALine + 1);
        }
    }
}
