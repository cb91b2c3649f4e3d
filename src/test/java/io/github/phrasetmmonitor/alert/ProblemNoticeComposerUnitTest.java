package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.GsonBuilder;
import io.github.phrasetmmonitor.state.MonitorProblem;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Problem alerts and recovery notices, worded by the shipped slack-problem.yaml and email-problem.yaml. */
class ProblemNoticeComposerUnitTest {

    private static final String HOSTILE = "<!channel> & <https://evil|click>";

    private final SlackAlertComposer slack = new SlackAlertComposer(AlertTestData.shippedTemplates());
    private final EmailAlertComposer email = new EmailAlertComposer(AlertTestData.shippedTemplates());

    private static MonitorProblem problem(String lastError) {
        return MonitorProblem.detected("tm-failing:tmDown", "TM Docs EN-JA (tmDown)",
                "polling this translation memory failed in 3 rounds in a row (monitor.problem-threshold 3)",
                Instant.parse("2026-03-02T10:00:00Z"), lastError, List.of("slack", "email"));
    }

    @Test
    void aProblemAlertNamesTheTmWhatFailedSinceWhenAndTheLastError() {
        Notice notice = Notice.aboutProblem(Notice.Kind.PROBLEM, "slack", "default", problem("HTTP 500: oops"));
        String json = new GsonBuilder().disableHtmlEscaping().create().toJson(slack.compose(notice));
        assertThat(json).contains("Problem: phrase-tm-monitor", "TM Docs EN-JA (tmDown)", "3 rounds in a row",
                "Since: 2026-03-02 10:00:00 UTC", "Last error: HTTP 500: oops").doesNotContain("Recovered");
        assertThat(notice.summary()).isEqualTo("problem alert tm-failing:tmDown");

        Notice mail = Notice.aboutProblem(Notice.Kind.PROBLEM, "email", "ops@example.com", problem("HTTP 500: oops"));
        assertThat(email.subject(mail)).isEqualTo("[Phrase TM] Monitor problem: TM Docs EN-JA (tmDown)");
        assertThat(email.text(mail)).contains("What failed: polling", "Since: 2026-03-02 10:00:00 UTC",
                "Last error: HTTP 500: oops");
    }

    @Test
    void aRecoveryNoticeSaysItIsOver() {
        MonitorProblem over = problem("HTTP 500: oops").withAnnounced("slack")
                .recovered(Instant.parse("2026-03-02T11:00:00Z"));
        Notice notice = Notice.aboutProblem(Notice.Kind.RECOVERED, "slack", "default", over);
        String json = new GsonBuilder().disableHtmlEscaping().create().toJson(slack.compose(notice));
        assertThat(json).contains("Recovered: phrase-tm-monitor", "fine again since 2026-03-02 11:00:00 UTC");

        Notice mail = Notice.aboutProblem(Notice.Kind.RECOVERED, "email", "ops@example.com", over);
        assertThat(email.subject(mail)).isEqualTo("[Phrase TM] Recovered: TM Docs EN-JA (tmDown)");
        assertThat(email.html(mail)).contains("<h2>Recovered: TM Docs EN-JA (tmDown)</h2>");
    }

    @Test
    void phrasesTextIsEscapedInProblemsToo() {
        Notice notice = Notice.aboutProblem(Notice.Kind.PROBLEM, "slack", "default", problem(HOSTILE));
        String json = new GsonBuilder().disableHtmlEscaping().create().toJson(slack.compose(notice));
        assertThat(json).doesNotContain("<!channel>").doesNotContain("<https");
        Notice mail = Notice.aboutProblem(Notice.Kind.PROBLEM, "email", "ops@example.com", problem(HOSTILE));
        assertThat(email.html(mail)).doesNotContain("<!channel>").contains("&lt;!channel&gt;");
    }
}
