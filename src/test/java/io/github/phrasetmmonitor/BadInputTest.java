package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Garbage from Phrase costs that TM one round and one log line; the other TMs and later rounds go on. */
class BadInputTest {

    private static final String HTML_PAGE = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
            + "<body><h1>Bad Gateway</h1>\n<p>The proxy got an invalid response.</p></body></html>";

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmHtml", "Proxy EN-DE")
                .lastTask("tmHtml", aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                        .withBody(HTML_PAGE))
                .translationMemory("tmCut", "Cut EN-DE")
                .lastTask("tmCut", aResponse().withStatus(200).withBody(failed("task-c", "x").substring(0, 80)))
                .translationMemory("tmShape", "Shape EN-DE")
                .lastTask("tmShape", aResponse().withStatus(200).withBody("[1,2,3]"))
                .translationMemory("tm502", "Gateway EN-DE")
                .lastTask("tm502", aResponse().withStatus(502).withBody(HTML_PAGE))
                .translationMemory("tmGood", "Glossary EN-DE")
                .lastTask("tmGood", failed("task-good", "Import failed"));
    }

    @Test
    void unreadableAnswersAreOneLineEachAndTheOtherTmsAreStillAlerted() throws Exception {
        Map<String, String> settings = bed.settingsWatching("tmHtml,tmCut,tmShape,tm502,tmGood");
        settings.put("phrase.max-retries", "1");
        // the unreadable TMs would become tm-failing problems after three rounds (told after each round); this test
        // counts the alerts of failed tasks, ProblemAlertTest the problems
        settings.put("monitor.problem-threshold", "1000");

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();

            assertThat(bed.slack().posts().get(0)).contains("task-good");
            assertThat(logs.linesContaining("TM tmHtml skipped this round").stream().filter(line -> !line.contains("still running")).toList()).isNotEmpty().allSatisfy(line ->
                    assertThat(line).contains("unreadable answer", "lastBackgroundTask", "HTTP 200",
                            "<!DOCTYPE html> <html><head><title>502 Bad Gateway").doesNotContain("\n"));
            assertThat(logs.linesContaining("TM tmCut skipped this round").stream().filter(line -> !line.contains("still running")).toList()).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).contains("unreadable answer", "HTTP 200"));
            assertThat(logs.linesContaining("TM tmShape skipped this round").stream().filter(line -> !line.contains("still running")).toList()).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).contains("[1,2,3]"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !logs.linesContaining("TM tm502 skipped this round: GET").isEmpty());
            // a round that starts while tm502's retries still run skips it with its own line
            assertThat(logs.linesContaining("TM tm502 skipped this round").stream().filter(line -> !line.contains("still running")).toList())
                    .filteredOn(line -> !line.contains("still running"))
                    .allSatisfy(line -> assertThat(line).contains("HTTP 502", "Bad Gateway").doesNotContain("\n"));
            assertThat(logs.all()).as("no stack traces").doesNotContain("caused by", "\tat ");

            bed.phrase().lastTask("tmHtml", failed("task-html", "Now readable"));
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 2);
            assertThat(bed.slack().posts().get(1)).contains("task-html");
        }
    }
}
