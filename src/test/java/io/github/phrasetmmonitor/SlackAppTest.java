package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.SlackApiRecorder;
import io.github.phrasetmmonitor.support.SlackApiRecorder.Answer;
import io.github.phrasetmmonitor.support.SlackApiRecorder.Call;
import io.github.phrasetmmonitor.support.StateFile;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12 item 5, Slack app mode: with a bot token a failure is one Slack message, and its resolution one reply in
 * that message's thread and one edit of it, across a restart; Slack's errors ({@code "ok": false}, 429) are handled
 * by the usual retry rule. The webhook is set too, and is not used.
 */
class SlackAppTest {

    private static final String TOKEN = "xoxb-42-43-s3cretAppToken";

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    private SlackApiRecorder api;

    @BeforeEach
    void stubs() throws Exception {
        api = new SlackApiRecorder();
        bed.phrase().loginIssues("token-1")
                .translationMemory("tmFailed", "Glossary EN-DE")
                .lastTask("tmFailed", failed("task-7", "TMX broken"));
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    private Map<String, String> settings() {
        Map<String, String> settings = bed.settingsWatching("tmFailed");
        settings.put("alert.channels", "slack");
        settings.put("alert.slack.bot-token", TOKEN);
        settings.put("alert.slack.channel", "C0ALERTS");
        settings.put("alert.slack.api-url", api.apiUrl());
        return settings;
    }

    @Test
    void aFailureIsOneMessageAndItsResolutionOneThreadReplyAndOneEditAcrossARestart() throws Exception {
        try (LogCapture logs = LogCapture.attach()) {
            try (RunningMonitor first = RunningMonitor.start(settings())) {
                await().atMost(Duration.ofSeconds(20)).until(() -> api.taken("chat.postMessage").size() == 1);
                assertThat(first.awaitRounds(2, 30)).isTrue();
            }
            Call alert = api.taken("chat.postMessage").get(0);
            assertThat(alert.authorization()).isEqualTo("Bearer " + TOKEN);
            assertThat(alert.field("channel")).isEqualTo("C0ALERTS");
            assertThat(alert.field("thread_ts")).isNull();
            assertThat(alert.field("text")).contains("Phrase TM task failed", "Glossary EN-DE");
            String ts = "1700000000.000001"; // the stub's answer to the first post
            String journal = Files.readString(StateFile.journal(bed.stateDir()));
            assertThat(journal).as("the message id is kept with the incident").contains("C0ALERTS", ts)
                    .doesNotContain(TOKEN);

            bed.phrase().lastTask("tmFailed", ok("task-8"));
            try (RunningMonitor second = RunningMonitor.start(settings())) {
                await().atMost(Duration.ofSeconds(20)).until(() -> api.taken("chat.postMessage").size() == 2
                        && api.taken("chat.update").size() == 1);
                assertThat(second.awaitRounds(3, 30)).isTrue();
            }

            assertThat(api.taken("chat.postMessage")).as("the alert and one reply").hasSize(2);
            assertThat(api.taken("chat.update")).as("one edit").hasSize(1);
            Call update = api.taken("chat.update").get(0);
            assertThat(update.field("channel")).isEqualTo("C0ALERTS");
            assertThat(update.field("ts")).isEqualTo(ts);
            assertThat(update.field("text")).startsWith("Resolved: Phrase TM task failed");
            assertThat(update.body().at("/blocks/0/type").asText()).isEqualTo("header");
            assertThat(update.body().at("/blocks/0/text/text").asText()).as("the header says it is resolved")
                    .isEqualTo("Resolved: Phrase TM task failed");
            assertThat(update.body().get("blocks").toString()).contains("Glossary EN-DE", "*Resolved* ");
            Call reply = api.taken("chat.postMessage").get(1);
            assertThat(reply.field("channel")).isEqualTo("C0ALERTS");
            assertThat(reply.field("thread_ts")).as("the reply is in the stored thread").isEqualTo(ts);
            assertThat(reply.field("text")).contains("Resolved", "task-7", "task-8");
            assertThat(api.calls().indexOf(update)).as("edited before the reply")
                    .isLessThan(api.calls().indexOf(reply));

            assertThat(bed.slack().posts()).as("the webhook is not used in app mode").isEmpty();
            assertThat(StateFile.deliveredAlerts(bed.stateDir())).as("the incident is closed").isEmpty();
            assertThat(logs.all()).doesNotContain(TOKEN).contains("Slack app mode");
        }
    }

    @Test
    void remindersReplyInTheAlertsThread() throws Exception {
        Map<String, String> settings = settings();
        settings.put("alert.repeat-interval", "2s");
        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> api.taken("chat.postMessage").size() >= 3);
        }
        Call alert = api.taken("chat.postMessage").get(0);
        assertThat(alert.field("thread_ts")).isNull();
        assertThat(api.taken("chat.postMessage").subList(1, 3)).allSatisfy(reminder -> {
            assertThat(reminder.field("thread_ts")).isEqualTo("1700000000.000001");
            assertThat(reminder.field("channel")).isEqualTo("C0ALERTS");
            assertThat(reminder.field("text")).startsWith("Reminder: ");
        });
        assertThat(api.taken("chat.update")).as("a reminder does not edit the alert").isEmpty();
    }

    @Test
    void aRateLimitIsWaitedOutAndTheAlertPostedOnce() throws Exception {
        api.answerNext(Answer.tooMany("1"));
        try (RunningMonitor monitor = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> api.taken("chat.postMessage").size() == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
        }
        assertThat(api.calls()).hasSize(2);
        assertThat(api.calls().get(0).ok()).isFalse();
        assertThat(api.taken("chat.postMessage")).hasSize(1);
        assertThat(StateFile.deliveredAlerts(bed.stateDir())).containsExactly("slack:tmFailed:task-7");
    }

    @Test
    void okFalseIsNotDeliveredAndIsToldInOneLineWithoutTheToken() throws Exception {
        api.answerNext(Answer.refused("not_in_channel"), Answer.refused("not_in_channel"));
        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !logs.linesContaining("not_in_channel").isEmpty());
            assertThat(StateFile.deliveredAlerts(bed.stateDir())).as("Slack answered ok: false").isEmpty();
            // later rounds try again; the script is used up, so Slack takes it
            await().atMost(Duration.ofSeconds(20)).until(() -> api.taken("chat.postMessage").size() == 1);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> StateFile.deliveredAlerts(bed.stateDir()).contains("slack:tmFailed:task-7"));
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(api.taken("chat.postMessage")).hasSize(1);
            assertThat(logs.linesContaining("not_in_channel")).allSatisfy(line -> assertThat(line)
                    .contains("invite the app").doesNotContain(TOKEN));
            assertThat(logs.all()).doesNotContain(TOKEN);
        }
    }
}
