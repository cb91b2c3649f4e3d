package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.phrasetmmonitor.support.Mails;
import io.github.phrasetmmonitor.support.PhraseApiStub;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.SlackRecorder;
import io.github.phrasetmmonitor.support.StateFile;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A storm: more than alert.digest-threshold new failures in one round come as one digest per channel. */
class DigestTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path stateDir;

    PhraseApiStub phrase;
    SlackRecorder slack;
    final List<String> uids = IntStream.rangeClosed(1, 8).mapToObj(i -> "tmStorm" + i).toList();

    @BeforeEach
    void stubs() throws Exception {
        phrase = new PhraseApiStub().loginIssues("token-1");
        for (int i = 1; i <= 8; i++) {
            phrase.translationMemory("tmStorm" + i, "Storm " + i + " EN-DE")
                    .lastTask("tmStorm" + i, failed("task-" + i, "TMX number " + i + " is broken"));
        }
        slack = new SlackRecorder();
    }

    @AfterEach
    void stop() {
        phrase.close();
        slack.close();
    }

    @Test
    void eightFailuresInOneRoundGiveOneDigestPerChannelNamingAllEight() throws Exception {
        Map<String, String> settings = RunningMonitor.settings(phrase.baseUrl(), slack, smtp.getSmtp().getPort(), stateDir);
        settings.put("monitor.tm-uids", String.join(",", uids));

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> slack.posts().size() == 1 && smtp.getReceivedMessages().length == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(slack.posts()).hasSize(1);
            assertThat(smtp.getReceivedMessages()).hasSize(1);

            String digest = slack.posts().get(0);
            MimeMessage mail = smtp.getReceivedMessages()[0];
            assertThat(mail.getSubject()).isEqualTo("[Phrase TM] 8 tasks failed");
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                expected.addAll(List.of("tmStorm" + i, "Storm " + i + " EN-DE", "TMX number " + i + " is broken"));
            }
            assertThat(digest).contains("8 tasks failed").contains(expected);
            assertThat(Mails.text(mail)).contains(expected);
            assertThat(Mails.html(mail)).contains(expected);
            assertThat(StateFile.deliveredAlerts(stateDir)).as("every failure is recorded as alerted")
                    .hasSize(16).contains("slack:tmStorm1:task-1", "email:tmStorm8:task-8");

            phrase.lastTask("tmStorm3", ok("task-3b"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> slack.posts().size() == 2 && smtp.getReceivedMessages().length == 2);
            assertThat(slack.posts().get(1)).contains("Resolved", "tmStorm3", "task-3", "task-3b")
                    .doesNotContain("tmStorm4");
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(slack.posts()).hasSize(2);
        }
    }

    @Test
    void atTheThresholdEachFailureGetsItsOwnMessage() throws Exception {
        Map<String, String> settings = RunningMonitor.settings(phrase.baseUrl(), slack, smtp.getSmtp().getPort(), stateDir);
        settings.put("monitor.tm-uids", String.join(",", uids.subList(0, 3)));
        settings.put("alert.digest-threshold", "3");
        settings.put("alert.channels", "slack");

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> slack.posts().size() == 3);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
        }
        assertThat(slack.posts()).hasSize(3).noneMatch(post -> post.contains("tasks failed"));
    }
}
