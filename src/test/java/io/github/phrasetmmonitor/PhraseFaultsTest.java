package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.http.Fault;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Phrase misbehaving in every way at once, one fault per TM: 500, 502 with an HTML page, an answer slower than
 * phrase.read-timeout, a connection reset, a body cut off mid-JSON. What must hold: each faulty TM costs one warning
 * line per round and is counted by kind; the healthy TM is alerted once; the monitor keeps polling; once the faults
 * clear, every failed task is alerted exactly once.
 */
class PhraseFaultsTest {

    private static final String HTML_502 = "<!DOCTYPE html>\n<html><body><h1>502 Bad Gateway</h1></body></html>";
    private static final List<String> FAULTY = List.of("tm500", "tm502", "tmSlow", "tmReset", "tmCut");

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmGood", "Glossary EN-DE")
                .lastTask("tmGood", failed("task-good", "Import failed"));
        FAULTY.forEach(uid -> bed.phrase().translationMemory(uid, "Faulty " + uid));
        bed.phrase().lastTask("tm500", aResponse().withStatus(500).withBody("{\"errorCode\":\"InternalError\"}"))
                .lastTask("tm502", aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                        .withBody(HTML_502))
                .lastTask("tmSlow", okJson(failed("task-slow", "x")).withFixedDelay(3_000))
                .lastTask("tmReset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                .lastTask("tmCut", aResponse().withStatus(200).withBody(failed("task-cut", "x").substring(0, 120)));
    }

    /**
     * The lines that say what went wrong with a TM; while its retries outlast a cron period the rounds go on without
     * it and say so instead ("its check from an earlier round is still running").
     */
    private static List<String> faultLines(LogCapture logs, String uid) {
        return logs.linesContaining("TM " + uid + " skipped").stream()
                .filter(line -> !line.contains("still running")).toList();
    }

    @Test
    void eachFaultCostsOneLinePerRoundAndNothingIsLostOrRepeated() throws Exception {
        Map<String, String> settings = bed.settingsWatching("tm500,tm502,tmSlow,tmReset,tmCut,tmGood");
        settings.put("alert.channels", "slack");
        settings.put("phrase.read-timeout", "1s");
        // the faulty TMs would become tm-failing problems after three rounds (told after each round); the problems
        // are ProblemAlertTest's and OutageTest's subject, this test counts the alerts of failed tasks
        settings.put("monitor.problem-threshold", "1000");

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1);
            assertThat(monitor.awaitRounds(2, 60)).as("the monitor keeps polling").isTrue();
            assertThat(bed.slack().posts()).singleElement().asString().contains("task-good");
            // the rounds go on without a TM whose retries are still running: wait until each fault was told once
            await().atMost(Duration.ofSeconds(30)).until(() -> FAULTY.stream()
                    .allMatch(uid -> !faultLines(logs, uid).isEmpty()));

            for (String uid : FAULTY) {
                assertThat(logs.linesContaining("TM " + uid + " skipped this round")).as(uid).isNotEmpty()
                        .allSatisfy(line -> assertThat(line).startsWith("WARN").doesNotContain("\n"));
            }
            assertThat(faultLines(logs, "tm500")).isNotEmpty().allSatisfy(line -> assertThat(line)
                    .contains("HTTP 500", "InternalError"));
            assertThat(faultLines(logs, "tm502")).isNotEmpty().allSatisfy(line -> assertThat(line)
                    .contains("HTTP 502", "502 Bad Gateway"));
            assertThat(faultLines(logs, "tmCut")).isNotEmpty().allSatisfy(line -> assertThat(line)
                    .contains("unreadable answer"));
            assertThat(logs.all()).as("no stack traces").doesNotContain("caused by", "\tat ");

            for (String kind : List.of("server_error", "timeout", "connection", "unreadable_answer")) {
                assertThat(Management.total(monitor.managementUrl(),
                        "phrase_monitor_poll_errors_total{kind=\"" + kind + "\"}")).as(kind).isPositive();
            }

            // the faults clear: every TM now reports a failed task of its own
            FAULTY.forEach(uid -> bed.phrase().lastTask(uid, failed("task-" + uid, "Import failed")));
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 1 + FAULTY.size());
            assertThat(monitor.awaitRounds(2, 60)).isTrue();
            assertThat(bed.slack().posts()).hasSize(1 + FAULTY.size());
            for (String uid : FAULTY) {
                assertThat(bed.slack().posts()).as(uid).filteredOn(post -> post.contains("task-" + uid)).hasSize(1);
            }
        }
    }
}
