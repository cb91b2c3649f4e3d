package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static io.github.phrasetmmonitor.support.PhraseDocuments.running;
import static io.github.phrasetmmonitor.support.PhraseDocuments.withWarnings;
import static io.github.phrasetmmonitor.support.PhraseApiStub.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.phrasetmmonitor.classify.TaskOutcome;
import io.github.phrasetmmonitor.support.PhraseApiStub;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.SlackRecorder;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole flow over the real routes: every outcome, one alert per failed task and channel, nothing else. */
class MonitorFlowTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path stateDir;

    PhraseApiStub phrase;
    SlackRecorder slack;

    @BeforeEach
    void stubs() throws Exception {
        phrase = new PhraseApiStub().loginIssues("token-1");
        slack = new SlackRecorder();
        phrase.translationMemory("tmOk", "Marketing EN-DE")
                .lastTask("tmOk", ok("task-ok"))
                .translationMemory("tmRunning", "Support EN-FR")
                .lastTask("tmRunning", running("task-running"))
                .translationMemory("tmWarn", "Docs EN-JA")
                .lastTask("tmWarn", withWarnings("task-warn"))
                .translationMemory("tmNever", "Fresh EN-ES")
                .lastTask("tmNever", status(404).withBody("{\"errorCode\":\"ResourceNotFound\"}"))
                .translationMemory("tmEmpty", "Empty EN-IT")
                .lastTask("tmEmpty", status(204))
                .translationMemory("tmFailed", "Legal EN-DE")
                .lastTask("tmFailed", failed("task-42", "The TMX file is not valid"));
    }

    @AfterEach
    void stop() {
        phrase.close();
        slack.close();
    }

    private Map<String, String> settings() {
        Map<String, String> settings = RunningMonitor.settings(phrase.baseUrl(), slack, smtp.getSmtp().getPort(), stateDir);
        settings.put("monitor.tm-uids", "tmOk,tmRunning,tmWarn,tmNever,tmEmpty,tmFailed");
        return settings;
    }

    @Test
    void alertsTheFailedTaskOncePerChannelAndNothingElse() throws Exception {
        try (RunningMonitor monitor = RunningMonitor.start(settings())) {
            assertThat(monitor.awaitRounds(3, 30)).as("three polling rounds").isTrue();

            assertThat(slack.posts()).hasSize(1);
            assertThat(slack.posts().get(0))
                    .contains("Legal EN-DE", "tmFailed", "IMPORT_TMX", "task-42", "ERROR", "TMX_INVALID",
                            "The TMX file is not valid", "line 12: unexpected element", "2023-11-07 05:31:56 UTC");
            MimeMessage[] mails = smtp.getReceivedMessages();
            assertThat(mails).hasSize(1);
            assertThat(mails[0].getSubject()).isEqualTo("[Phrase TM] IMPORT_TMX failed: Legal EN-DE");
            assertThat(mails[0].getAllRecipients()).extracting(Object::toString).containsExactly("l10n-ops@example.com");
            assertThat((String) mails[0].getContent()).contains("tmFailed", "task-42", "TMX_INVALID");
            assertThat(phrase.logins()).as("one login, token reused for every call").isEqualTo(1);
            assertThat(monitor.context().getTypeConverterRegistry().lookup(TaskOutcome.class, String.class))
                    .as("outcome comparisons find a direct converter, no registry scan per TM").isNotNull();
        }
    }

    @Test
    void aNewFailedTaskOfTheSameTmIsAlertedAgain() throws Exception {
        try (RunningMonitor monitor = RunningMonitor.start(settings())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> slack.posts().size() == 1);
            phrase.lastTask("tmFailed", failed("task-43", "Second import broke too"));
            await().atMost(Duration.ofSeconds(20)).until(() -> slack.posts().size() == 2);
            assertThat(slack.posts().get(1)).contains("task-43", "Second import broke too");
            await().atMost(Duration.ofSeconds(20)).until(() -> smtp.getReceivedMessages().length == 2);
        }
    }
}
