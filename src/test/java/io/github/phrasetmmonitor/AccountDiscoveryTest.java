package io.github.phrasetmmonitor;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With no uid list, every TM the account lists is watched, page by page, and the list is read anew each round. */
class AccountDiscoveryTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1");
        bed.phrase().server().stubFor(get(urlPathMatching("/web/api2/v1/transMemories/[^/]+/lastBackgroundTask"))
                .atPriority(10).willReturn(okJson(ok("task-ok"))));
    }

    private static String uid(int i) {
        return String.format("tm%03d", i);
    }

    /** Serves uids [0, count) as pages of 50, the way Phrase pages its TM list. */
    private void accountHolds(int count) {
        int pages = (count + 49) / 50;
        for (int page = 0; page < pages; page++) {
            String content = IntStream.range(page * 50, Math.min(count, page * 50 + 50))
                    .mapToObj(i -> "{\"uid\":\"" + uid(i) + "\",\"name\":\"TM number " + i + "\",\"sourceLang\":\"en\"}")
                    .collect(Collectors.joining(","));
            bed.phrase().server().stubFor(get(urlPathEqualTo("/web/api2/v1/transMemories"))
                    .withQueryParam("pageNumber", equalTo(Integer.toString(page)))
                    .withQueryParam("pageSize", equalTo("50"))
                    .willReturn(okJson("{\"totalElements\":" + count + ",\"totalPages\":" + pages + ",\"pageSize\":50,"
                            + "\"pageNumber\":" + page + ",\"content\":[" + content + "]}")));
        }
    }

    private int lastTaskCalls(String uid) {
        return bed.phrase().server().countRequestsMatching(getRequestedFor(
                urlEqualTo("/web/api2/v1/transMemories/" + uid + "/lastBackgroundTask")).build()).getCount();
    }

    private Map<String, String> settings() {
        Map<String, String> settings = bed.settings();
        settings.put("monitor.tm-uids", "");
        settings.put("alert.channels", "slack");
        settings.put("phrase.max-concurrent-requests", "8");
        settings.put("phrase.max-requests-per-minute", "60000");
        return settings;
    }

    @Test
    void everyTmOfAThreePageAccountIsPolledEachRoundAndANewTmIsPickedUp() throws Exception {
        accountHolds(120);
        bed.phrase().lastTask(uid(117), failed("task-117", "broken TMX on page three"));

        try (RunningMonitor monitor = RunningMonitor.start(settings())) {
            assertThat(monitor.awaitRounds(2, 60)).isTrue();
            List<String> missed = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                if (lastTaskCalls(uid(i)) < 2) {
                    missed.add(uid(i));
                }
            }
            assertThat(missed).as("TMs not polled in each of two rounds").isEmpty();
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 1);
            assertThat(bed.slack().posts().get(0)).contains("TM number 117", "task-117");
            assertThat(bed.phrase().server().countRequestsMatching(getRequestedFor(
                    urlPathMatching("/web/api2/v1/transMemories/tm[0-9]+")).build()).getCount())
                    .as("names come from the list: no per-TM details call").isZero();

            accountHolds(121);
            bed.phrase().lastTask(uid(120), failed("task-120", "created mid-run, failed at once"));
            await().atMost(Duration.ofSeconds(30)).until(() -> bed.slack().posts().size() == 2);
            assertThat(bed.slack().posts().get(1)).contains("TM number 120", "task-120");
        }
    }

    @Test
    void theNameFilterIsPassedToPhraseAndExcludedTmsAreNotPolled() throws Exception {
        bed.phrase().server().stubFor(get(urlPathEqualTo("/web/api2/v1/transMemories"))
                .withQueryParam("name", equalTo("Legal & Co"))
                .willReturn(okJson("{\"totalPages\":1,\"content\":[{\"uid\":\"legal1\",\"name\":\"Legal & Co DE\"},"
                        + "{\"uid\":\"legal2\",\"name\":\"Legal & Co FR\"}]}")));
        Map<String, String> settings = settings();
        settings.put("monitor.tm-name-filter", "Legal & Co");
        settings.put("monitor.tm-exclude-uids", "legal2");

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            // two rounds that checked legal1 (on a busy machine a round may skip it while its check still runs)
            await().atMost(Duration.ofSeconds(30)).until(() -> lastTaskCalls("legal1") >= 2);
            assertThat(lastTaskCalls("legal2")).isZero();
        }
    }

    /**
     * Issue 14, item 5: a listed uid goes into URLs, log lines, messages and the journal as it is, so one that is not
     * an id (too long, or with bidi or control characters) is left out, with one warning, not one per round.
     */
    @Test
    void aListedUidThatIsNotAnIdIsLeftOutWithOneWarning() throws Exception {
        bed.phrase().server().stubFor(get(urlPathEqualTo("/web/api2/v1/transMemories"))
                .willReturn(okJson("{\"totalPages\":1,\"content\":[{\"uid\":\"good1\",\"name\":\"Good\"},"
                        + "{\"uid\":\"" + "u".repeat(100_000) + "\",\"name\":\"Long\"},"
                        + "{\"uid\":\"bad\\u202Eid\\u0000\",\"name\":\"Hidden\"}]}")));

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings())) {
            assertThat(monitor.awaitRounds(3, 30)).isTrue();

            int allLastTaskCalls = bed.phrase().server().countRequestsMatching(getRequestedFor(
                    urlPathMatching("/web/api2/v1/transMemories/.+/lastBackgroundTask")).build()).getCount();
            assertThat(lastTaskCalls("good1")).isGreaterThanOrEqualTo(3).isEqualTo(allLastTaskCalls);
            assertThat(logs.linesContaining("Left out")).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("WARN").contains("Left out 2 translation memories", "over 100 characters")
                    .hasSizeLessThan(400).doesNotContain("\u202E", "\u0000"));
        }
    }

    @Test
    void aPageThatCannotBeReadSkipsTheRoundWithOneLineAndTheNextRoundGoesOn() throws Exception {
        accountHolds(120);
        var brokenPage = bed.phrase().server().stubFor(get(urlPathEqualTo("/web/api2/v1/transMemories"))
                .withQueryParam("pageNumber", equalTo("2")).atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.serverError().withBody("<html>down</html>")));
        Map<String, String> settings = settings();
        settings.put("phrase.max-retries", "0");

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> logs.linesContaining("Round skipped, the TMs to watch could not be listed").size() >= 2);
            assertThat(logs.linesContaining("Round skipped")).allSatisfy(line -> assertThat(line)
                    .startsWith("WARN").contains("HTTP 500").doesNotContain("\n"));
            assertThat(logs.all()).doesNotContain("\tat ");
            assertThat(lastTaskCalls(uid(0))).as("a partial list is not polled").isZero();

            bed.phrase().server().removeStub(brokenPage);
            await().atMost(Duration.ofSeconds(20)).until(() -> lastTaskCalls(uid(119)) >= 1);
        }
    }
}
