package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.StateFile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, item 2: a TM is who the monitor asked about. Two watched TMs whose answers are the spec's own example
 * document, identical to the byte (uid "string", the same task id), are two TMs with two alerts; the answer naming
 * another uid is told once per TM, as suspicious.
 */
class TmIdentityTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @Test
    void twoTmsWithIdenticalAnswersAreAlertedSeparately() throws Exception {
        bed.phrase().loginIssues("token-1");
        for (String uid : new String[] {"tmA", "tmB"}) {
            bed.phrase().server().stubFor(get("/web/api2/v1/transMemories/" + uid)
                    .willReturn(okJson("{\"uid\":\"string\",\"name\":\"string\",\"sourceLang\":\"string\"}")));
            bed.phrase().lastTask(uid, failed("string", "string"));
        }
        Map<String, String> settings = bed.settingsWatching("tmA,tmB");
        settings.put("alert.channels", "slack");

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 2);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(logs.linesContaining("Phrase's answer names another uid")).hasSize(2)
                    .anySatisfy(line -> assertThat(line).startsWith("WARN").contains("TM tmA:", "(string)"))
                    .anySatisfy(line -> assertThat(line).contains("TM tmB:"));
        }
        assertThat(bed.slack().posts()).as("one alert per watched TM, each under its own uid")
                .anySatisfy(post -> assertThat(post).contains("tmA"))
                .anySatisfy(post -> assertThat(post).contains("tmB"))
                .hasSize(2);
        assertThat(StateFile.deliveredAlerts(bed.stateDir())).containsExactlyInAnyOrder("slack:tmA:string",
                "slack:tmB:string");
    }
}
