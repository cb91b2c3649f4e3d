package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.Mails;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.StateFile;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A storm: more than alert.digest-threshold new failures in one round come as one digest per channel. */
class DigestTest {

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    final List<String> uids = IntStream.rangeClosed(1, 8).mapToObj(i -> "tmStorm" + i).toList();

    @BeforeEach
    void stubs() throws Exception {
        bed.phrase().loginIssues("token-1");
        for (int i = 1; i <= 8; i++) {
            bed.phrase().translationMemory("tmStorm" + i, "Storm " + i + " EN-DE")
                    .lastTask("tmStorm" + i, failed("task-" + i, "TMX number " + i + " is broken"));
        }
    }

    @Test
    void eightFailuresInOneRoundGiveOneDigestPerChannelNamingAllEight() throws Exception {
        Map<String, String> settings = bed.settingsWatching(String.join(",", uids));
        // one round finds all eight: with the 1 s cron, a round slowed by a loaded machine leaves checks to the next
        // round, whose finds are a message of their own (seen once as a digest of 7 and an alert)
        settings.put("monitor.cron", "0/5 * * * * ?");

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 1 && bed.smtp().getReceivedMessages().length == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(bed.slack().posts()).hasSize(1);
            assertThat(bed.smtp().getReceivedMessages()).hasSize(1);

            String digest = bed.slack().posts().get(0);
            MimeMessage mail = bed.smtp().getReceivedMessages()[0];
            assertThat(mail.getSubject()).isEqualTo("[Phrase TM] 8 tasks failed");
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                expected.addAll(List.of("tmStorm" + i, "Storm " + i + " EN-DE", "TMX number " + i + " is broken"));
            }
            assertThat(digest).contains("8 tasks failed").contains(expected);
            assertThat(Mails.text(mail)).contains(expected);
            assertThat(Mails.html(mail)).contains(expected);
            assertThat(StateFile.deliveredAlerts(bed.stateDir())).as("every failure is recorded as alerted")
                    .hasSize(16).contains("slack:tmStorm1:task-1", "email:tmStorm8:task-8");

            bed.phrase().lastTask("tmStorm3", ok("task-3b"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> bed.slack().posts().size() == 2 && bed.smtp().getReceivedMessages().length == 2);
            assertThat(bed.slack().posts().get(1)).contains("Resolved", "tmStorm3", "task-3", "task-3b")
                    .doesNotContain("tmStorm4");
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(bed.slack().posts()).hasSize(2);
        }
    }

    /**
     * Must hold: while a digest is in flight (posted, not yet answered, so not yet recorded as sent), the rounds that
     * end wake Slack's delivery thread again; each wake-up waits for the pass under way, so no second pass plans the
     * same digest and posts it again. Fails if a channel's passes can overlap (e.g. two consumers on its queue).
     */
    @Test
    void roundsEndingWhileTheDigestIsInFlightDoNotSendItAgain() throws Exception {
        Map<String, String> settings = bed.settingsWatching(String.join(",", uids));
        settings.put("alert.channels", "slack");
        // the held answer must not time out: a post that timed out is retried, by design
        settings.put("alert.slack.timeout", "60s");
        bed.slack().holdAnswers();

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().attempts() == 1);
            assertThat(monitor.awaitRounds(3, 30)).as("three rounds end while the digest is in flight").isTrue();
            assertThat(bed.slack().attempts()).as("no other pass posted the digest meanwhile").isEqualTo(1);

            bed.slack().release();
            await().atMost(Duration.ofSeconds(20)).until(() -> StateFile.deliveredAlerts(bed.stateDir()).size() == 8);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
        }
        assertThat(bed.slack().posts()).singleElement().asString().contains("8 tasks failed");
        assertThat(bed.slack().attempts()).isEqualTo(1);
    }

    @Test
    void atTheThresholdEachFailureGetsItsOwnMessage() throws Exception {
        Map<String, String> settings = bed.settingsWatching(String.join(",", uids.subList(0, 3)));
        settings.put("alert.digest-threshold", "3");
        settings.put("alert.channels", "slack");

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bed.slack().posts().size() == 3);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
        }
        assertThat(bed.slack().posts()).hasSize(3).noneMatch(post -> post.contains("tasks failed"));
    }
}
