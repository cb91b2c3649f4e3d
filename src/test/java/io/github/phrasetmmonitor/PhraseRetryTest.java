package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.PhraseApiStub;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.SlackRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A call that Phrase drops or answers 5xx is retried within the round; the TM is not skipped for a passing fault. */
class PhraseRetryTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path stateDir;

    PhraseApiStub phrase;
    SlackRecorder slack;

    @BeforeEach
    void stubs() throws Exception {
        phrase = new PhraseApiStub().loginIssues("token-1")
                .translationMemory("tmFlaky", "Flaky EN-DE")
                .translationMemory("tmReset", "Reset EN-DE");
        slack = new SlackRecorder();
        phrase.server().stubFor(PhraseApiStub.lastTaskOf("tmFlaky").inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("503-sent")
                .willReturn(aResponse().withStatus(503).withBody("<html><title>Service Unavailable</title></html>")));
        phrase.server().stubFor(PhraseApiStub.lastTaskOf("tmFlaky").inScenario("flaky")
                .whenScenarioStateIs("503-sent").willReturn(okJson(failed("task-flaky", "broken"))));
        phrase.server().stubFor(PhraseApiStub.lastTaskOf("tmReset").inScenario("reset")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("reset-sent")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        phrase.server().stubFor(PhraseApiStub.lastTaskOf("tmReset").inScenario("reset")
                .whenScenarioStateIs("reset-sent").willReturn(okJson(failed("task-reset", "broken"))));
    }

    @AfterEach
    void stop() {
        phrase.close();
        slack.close();
    }

    @Test
    void aPassing503OrResetIsRetriedAndTheFailureStillAlertedInTheSameRound() throws Exception {
        Map<String, String> settings = RunningMonitor.settings(phrase.baseUrl(), slack, smtp.getSmtp().getPort(), stateDir);
        settings.put("monitor.tm-uids", "tmFlaky,tmReset");
        settings.put("alert.channels", "slack");

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            assertThat(monitor.awaitRounds(1, 30)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> slack.posts().size() == 2);
            assertThat(String.join("\n", slack.posts())).contains("task-flaky", "task-reset");
            assertThat(logs.linesContaining("skipped this round")).isEmpty();
        }
    }
}
