package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.GsonBuilder;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.ProblemFacts;
import io.github.phrasetmmonitor.state.Routing;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Problem alerts, reminders, recovery notices and digests, worded by the shipped *-problem*.yaml templates. */
class ProblemNoticeComposerUnitTest {

    private static final String HOSTILE = "<!channel> & <https://evil|click>";
    private static final Routing BOTH = new Routing(List.of("slack", "email"),
            Map.of("slack", "default", "email", "ops@example.com"));

    private final SlackAlertComposer slack = new SlackAlertComposer(AlertTestData.shippedTemplates());
    private final EmailAlertComposer email = new EmailAlertComposer(AlertTestData.shippedTemplates());

    private static Incident problem(String key, String lastError) {
        return Incident.detected(new ProblemFacts(key, "tmDown", "Docs EN-JA", "TM Docs EN-JA (tmDown)",
                "polling this translation memory failed in 3 rounds in a row (monitor.problem-threshold 3)",
                Instant.parse("2026-03-02T10:00:00Z"), lastError), Instant.parse("2026-03-02T10:00:00Z"))
                .withRouting(BOTH);
    }

    private static Incident problem(String lastError) {
        return problem("tm-failing:tmDown", lastError);
    }

    private static Notice notice(Notice.Kind kind, String channel, Incident... incidents) {
        return new Notice(kind, channel, BOTH.destination(channel), null, List.of(incidents));
    }

    private String json(Notice notice) {
        return new GsonBuilder().disableHtmlEscaping().create().toJson(slack.compose(notice));
    }

    @Test
    void aProblemAlertNamesTheTmWhatFailedSinceWhenAndTheLastError() {
        Notice notice = notice(Notice.Kind.ALERT, "slack", problem("HTTP 500: oops"));
        assertThat(json(notice)).contains("Problem: phrase-tm-monitor", "TM Docs EN-JA (tmDown)", "3 rounds in a row",
                "Since: 2026-03-02 10:00:00 UTC", "Last error: HTTP 500: oops").doesNotContain("Recovered");
        assertThat(notice.summary()).isEqualTo("problem alert tm-failing:tmDown");
        assertThat(notice.metricKind()).isEqualTo("problem");

        Notice mail = notice(Notice.Kind.ALERT, "email", problem("HTTP 500: oops"));
        assertThat(email.subject(mail)).isEqualTo("[Phrase TM] Monitor problem: TM Docs EN-JA (tmDown)");
        assertThat(email.text(mail)).contains("What failed: polling", "Since: 2026-03-02 10:00:00 UTC",
                "Last error: HTTP 500: oops");
    }

    @Test
    void aProblemOfEmailDeliveryDoesNotSayFailedTasksGoUnseen() {
        Notice tm = notice(Notice.Kind.ALERT, "slack", problem("HTTP 500: oops"));
        Notice mail = notice(Notice.Kind.ALERT, "slack", problem("email-refused",
                "554 5.7.1 <ops@example.com>: Relay access denied"));

        assertThat(json(tm)).contains("Failed tasks of what is affected are not seen until this is fixed");
        assertThat(json(mail)).doesNotContain("not seen until").contains("Polling goes on",
                "the other channels are not affected");
    }

    @Test
    void aRecoveryNoticeSaysItIsOver() {
        Incident over = problem("HTTP 500: oops").withAlerted("slack", "slack", Instant.parse("2026-03-02T10:01:00Z"))
                .withResolution(new Incident.Resolution(null, null, null, Instant.parse("2026-03-02T11:00:00Z"),
                        Set.of()));
        Notice notice = notice(Notice.Kind.RESOLVED, "slack", over);
        assertThat(json(notice)).contains("Recovered: phrase-tm-monitor", "fine again since 2026-03-02 11:00:00 UTC");
        assertThat(notice.metricKind()).isEqualTo("recovered");

        Notice mail = notice(Notice.Kind.RESOLVED, "email", over);
        assertThat(email.subject(mail)).isEqualTo("[Phrase TM] Recovered: TM Docs EN-JA (tmDown)");
        assertThat(email.html(mail)).contains("<h2>Recovered: TM Docs EN-JA (tmDown)</h2>");
    }

    @Test
    void aReminderAndAFallbackSayWhatTheyAre() {
        Incident told = problem("HTTP 500").withAlerted("email", "email", Instant.parse("2026-03-02T10:01:00Z"));
        Notice reminder = notice(Notice.Kind.REMINDER, "email", told);
        assertThat(email.subject(reminder)).isEqualTo("[Phrase TM] Reminder: Monitor problem: TM Docs EN-JA (tmDown)");
        assertThat(email.text(reminder)).contains("still not fixed (first told 2026-03-02 10:01:00 UTC)");

        Notice fallback = new Notice(Notice.Kind.ALERT, "email", "ops@example.com", "slack", List.of(told));
        assertThat(email.text(fallback)).contains("could not be delivered on Slack");
    }

    @Test
    void problemsThatComeTogetherAreOneMessageListingThem() {
        Incident[] many = IntStream.range(0, 80).mapToObj(i -> problem("tm-not-found:tm" + i, "HTTP 404"))
                .toArray(Incident[]::new);
        Notice digest = notice(Notice.Kind.DIGEST, "slack", many);
        String json = json(digest);
        assertThat(json).contains("80 monitor problems", "started together", "…and ");
        assertThat(digest.summary()).isEqualTo("digest of 80 monitor problems");

        Notice mail = notice(Notice.Kind.RESOLVED, "email", many);
        assertThat(email.subject(mail)).isEqualTo("[Phrase TM] Recovered: 80 monitor problems");
        assertThat(email.text(mail)).contains("These 80 problems of the monitor are over.", "[tm-not-found:tm79]");
    }

    @Test
    void phrasesTextIsEscapedInProblemsToo() {
        assertThat(json(notice(Notice.Kind.ALERT, "slack", problem(HOSTILE))))
                .doesNotContain("<!channel>").doesNotContain("<https");
        assertThat(email.html(notice(Notice.Kind.ALERT, "email", problem(HOSTILE))))
                .doesNotContain("<!channel>").contains("&lt;!channel&gt;");
    }
}
