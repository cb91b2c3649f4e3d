package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PhraseApiStub;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A call that Phrase drops or answers 5xx is retried within the round; the TM is not skipped for a passing fault. */
class PhraseRetryTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmFlaky", "Flaky EN-DE")
                .translationMemory("tmReset", "Reset EN-DE");
        bed.phrase().server().stubFor(PhraseApiStub.lastTaskOf("tmFlaky").inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("503-sent")
                .willReturn(aResponse().withStatus(503).withBody("<html><title>Service Unavailable</title></html>")));
        bed.phrase().server().stubFor(PhraseApiStub.lastTaskOf("tmFlaky").inScenario("flaky")
                .whenScenarioStateIs("503-sent").willReturn(okJson(failed("task-flaky", "broken"))));
        bed.phrase().server().stubFor(PhraseApiStub.lastTaskOf("tmReset").inScenario("reset")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("reset-sent")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        bed.phrase().server().stubFor(PhraseApiStub.lastTaskOf("tmReset").inScenario("reset")
                .whenScenarioStateIs("reset-sent").willReturn(okJson(failed("task-reset", "broken"))));
    }

    @Test
    void aPassing503OrResetIsRetriedAndTheFailureStillAlertedInTheSameRound() throws Exception {
        Map<String, String> settings = bed.settingsWatching("tmFlaky,tmReset");
        settings.put("alert.channels", "slack");

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            assertThat(monitor.awaitRounds(1, 30)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> bed.slack().posts().size() == 2);
            assertThat(String.join("\n", bed.slack().posts())).contains("task-flaky", "task-reset");
            // a round that starts while the retries of the first are still running skips those TMs; nothing else
            assertThat(logs.linesContaining("skipped this round")).allSatisfy(line -> assertThat(line)
                    .contains("its check from an earlier round is still running"));
        }
    }
}
