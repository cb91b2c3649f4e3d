package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseApiStub.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.icegreen.greenmail.util.GreenMailUtil;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.Mails;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.StateFile;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14, item 5: a TM with a 100,000-character name once made a 314 KB problem email, a 100,350-character log
 * line and journal records of 100 KB, and U+0000, U+202E and raw line breaks from Phrase reached Slack and email.
 * Real routes and templates, a WireMock Phrase whose TM name and task errors are huge and hostile, the recording
 * Slack webhook and GreenMail: every message, log line and journal record is bounded and has none of them.
 */
class BoundedTextTest {

    /** NUL, RIGHT-TO-LEFT OVERRIDE, CR LF and TAB, all of which Phrase's JSON can carry. */
    private static final String HOSTILE = "\u0000\u202E\r\n\t";
    /** The name starts like an email header, so a line break kept in it would show as one. */
    private static final String NAME = "Evil" + HOSTILE + "Bcc: thief@evil.example " + "N".repeat(100_000);
    private static final String NAME_SHOWN = "Evil Bcc: thief@evil.example NNN";
    /** Every control character but LF, the line separators and the bidi controls. */
    private static final Pattern FORBIDDEN = Pattern.compile("[\\x00-\\x09\\x0B-\\x1F\\x7F-\\x9F\\u2028\\u2029"
            + "\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F\\u061C]");

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    @BeforeEach
    void stubs() throws Exception {
        String huge = "e".repeat(200_000);
        Map<String, Object> response = Map.of(
                "errorCode", "TMX" + HOSTILE + "INVALID",
                "errorDesc", "Broken" + HOSTILE + "TMX " + huge,
                // more details than are kept (SafeText.ERROR_DETAILS, 20), each far longer than a detail may be
                "errorDetails", Collections.nCopies(30, Map.of("code", "PARSE", "message", "line" + HOSTILE + huge)));
        Map<String, Object> task = Map.of(
                "status", "ERROR" + HOSTILE,
                "lastTaskError", "Last" + HOSTILE + huge,
                "asyncRequest", Map.of("id", "task" + HOSTILE + "9".repeat(5_000), "action", "IMPORT" + HOSTILE + "TMX",
                        "asyncResponse", response));
        bed.phrase().loginIssues("token-1");
        for (String uid : List.of("tmHuge", "tmDown")) {
            bed.phrase().server().stubFor(WireMock.get("/web/api2/v1/transMemories/" + uid).willReturn(
                    WireMock.okJson(JSON.writeValueAsString(Map.of("uid", uid, "name", NAME)))));
        }
        bed.phrase().lastTask("tmHuge", JSON.writeValueAsString(task));
        // polling tmDown fails: a monitor problem, whose message names the TM by its name
        bed.phrase().lastTask("tmDown", status(500).withBody(JSON.writeValueAsString(Map.of(
                "errorCode", "Internal" + HOSTILE, "errorDescription", "Down" + HOSTILE + huge))));
    }

    @Test
    void hugeHostileTextFromPhraseIsBoundedAndCleanInMessagesLogsAndJournals() throws Exception {
        Map<String, String> settings = bed.settingsWatching("tmHuge,tmDown");
        settings.put("monitor.problem-threshold", "1");
        settings.put("monitor.problem-check-interval", "300ms");
        settings.put("phrase.max-retries", "0");
        // the hostile document is larger than the shipped monitor.max-answer-size (BoundsTest covers that limit);
        // here it must be read, so that its text reaches the records
        settings.put("monitor.max-answer-size", "64MB");
        // only the two messages this test is about: no dead-man switch while the monitor starts
        settings.put("monitor.stale-after", "1h");

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            // the alert and the problem, each on Slack and by email, each recorded as taken
            await().atMost(Duration.ofSeconds(40)).until(() -> StateFile.deliveredAlerts(bed.stateDir()).size() == 2
                    && problemAnnouncedOn(bed.stateDir()) == 2);

            List<String> posts = bed.slack().posts();
            assertThat(posts).hasSize(2);
            for (String post : posts) {
                assertThat(post.length()).as("Slack post of %s characters", post.length()).isLessThan(16_000);
                assertThat(post).as("NUL as JSON escape, or U+202E").doesNotContain("\\u0000", "\u202E");
                for (String text : texts(JSON.readTree(post))) {
                    assertThat(text).doesNotContainPattern(FORBIDDEN);
                }
            }
            // names in one line (the CR LF became a space), the error with its line break
            assertThat(posts).anySatisfy(post -> assertThat(post).contains("Phrase TM task failed", NAME_SHOWN,
                    "*Error*\\nBroken", " TMX eee", "Code: TMX INVALID"));
            assertThat(posts).anySatisfy(post -> assertThat(post).contains("tm-failing:tmDown",
                    "TM " + NAME_SHOWN));

            MimeMessage[] mails = bed.smtp().getReceivedMessages();
            assertThat(mails).hasSize(2);
            for (MimeMessage mail : mails) {
                int size = GreenMailUtil.getWholeMessage(mail).length();
                assertThat(size).as("email of %s characters", size).isLessThan(32_000);
                assertThat(mail.getSubject()).hasSizeLessThanOrEqualTo(180).doesNotContain("\n")
                        .doesNotContainPattern(FORBIDDEN).contains(NAME_SHOWN);
                // MIME carries line breaks as CR LF: what is left must be the templates' own
                String text = Mails.text(mail).replace("\r\n", "\n");
                String html = Mails.html(mail).replace("\r\n", "\n");
                assertThat(text).doesNotContainPattern(FORBIDDEN).contains(NAME_SHOWN);
                assertThat(html).doesNotContainPattern(FORBIDDEN).contains(NAME_SHOWN);
            }
            assertThat(Mails.text(alertMail(mails))).contains("Translation memory: " + NAME_SHOWN,
                    "Error code: TMX INVALID", "Status: ERROR");
            assertThat(bed.smtp().getReceivedMessagesForDomain("evil.example")).isEmpty();

            List<String> lines = logs.lines();
            assertThat(logs.linesContaining("Monitor problem tm-failing:tmDown")).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).contains("TM " + NAME_SHOWN));
            assertThat(logs.linesContaining("TM tmDown skipped this round")).isNotEmpty();
            for (String line : lines) {
                // LogCapture puts a thrown exception's causes on lines of their own
                String message = line.split("\n  caused by ", 2)[0];
                assertThat(line.length()).as("log line of %s characters", line.length()).isLessThan(2_000);
                assertThat(message).doesNotContain("\n").doesNotContainPattern(FORBIDDEN);
            }
        }

        for (String journal : List.of(io.github.phrasetmmonitor.state.IncidentState.JOURNAL)) {
            Path file = bed.stateDir().resolve(journal);
            String content = Files.readString(file);
            assertThat(content).as(journal).contains("tm").doesNotContain("\\u0000", "\\r", "\\t", "\u202E");
            for (String line : content.lines().toList()) {
                assertThat(line.length()).as("a line of %s", journal).isLessThan(16_000);
            }
            // what the state keeps: the journal appends a line per change (how many depends on the machine's
            // timing: decisions held, then sent), and the next start rewrites it with the last line of each incident
            io.github.phrasetmmonitor.state.IncidentState compacting = new io.github.phrasetmmonitor.state
                    .IncidentState(file, java.time.Clock.systemUTC(), true, Map.of());
            compacting.start();
            compacting.stop();
            assertThat(Files.size(file)).as(journal + ", compacted").isLessThan(32_000);
        }
    }

    private static MimeMessage alertMail(MimeMessage[] mails) throws Exception {
        for (MimeMessage mail : mails) {
            if (mail.getSubject().startsWith("[Phrase TM] IMPORT TMX failed")) {
                return mail;
            }
        }
        throw new AssertionError("no alert email among the subjects received");
    }

    /** On how many channels the problem of tmDown was told, as its journal says. */
    private static int problemAnnouncedOn(Path stateDir) throws Exception {
        Path file = stateDir.resolve(io.github.phrasetmmonitor.state.IncidentState.JOURNAL);
        int told = 0;
        for (String line : io.github.phrasetmmonitor.support.StateFile.completeLines(file)) {
            JsonNode incident = JSON.readTree(line).path("incident");
            if (incident.path("problem").path("key").asText().equals("tm-failing:tmDown")) {
                told = incident.path("alerted").size();
            }
        }
        return told;
    }

    /** Every string in a JSON document. */
    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isTextual()) {
            texts.add(node.asText());
        }
        node.forEach(child -> texts.addAll(texts(child)));
        return texts;
    }
}
