package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.phrasetmmonitor.support.SlackCalls;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.Routing;
import io.github.phrasetmmonitor.support.SlackApiRecorder;
import io.github.phrasetmmonitor.support.SlackApiRecorder.Answer;
import io.github.phrasetmmonitor.support.SlackApiRecorder.Call;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slack app mode against a local stub of chat.postMessage and chat.update: what is posted where (Slack's snake_case
 * names), the thread of an alert and of a digest, the edit of a resolved alert, and Slack's errors, which come as
 * HTTP 200 with {@code "ok": false} or as 429.
 */
class SlackWebApiUnitTest {

    private static final String TOKEN = "xoxb-1234-5678-s3cretBotToken";
    private static final Routing DEFAULT = new Routing(List.of("slack"), Map.of("slack", "default"));
    private static final Routing LEGAL = new Routing(List.of("slack"), Map.of("slack", "legal"));
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final SlackAlertComposer composer = new SlackAlertComposer(AlertTestData.shippedTemplates());
    private SlackApiRecorder slack;
    private SlackWebApi api;
    private SlackCalls calls;

    @BeforeEach
    void start() throws Exception {
        slack = new SlackApiRecorder();
        calls = new SlackCalls(slack.apiUrl(), Duration.ofSeconds(10));
        Map<String, String> channels = Map.of("default", "C0ALERTS", "legal", "C0LEGAL");
        api = new SlackWebApi(URI.create(slack.apiUrl()), TOKEN, name -> Optional.ofNullable(channels.get(name)),
                composer, calls.http(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        calls.close();
        slack.close();
    }

    private static Incident failed(String tm, Routing routing) {
        return Incident.detected(new FailureFacts("Glossary " + tm, tm, "task-" + tm, "IMPORT_TMX", null, "ERROR",
                "X", "TMX broken", List.of(), null), routing, T0);
    }

    private static Incident resolved(Incident incident) {
        return incident.withResolution(new Incident.Resolution("task-ok", "IMPORT_TMX", null,
                Instant.parse("2026-12-01T11:30:00Z"), Set.of()));
    }

    private Incident.MessageId send(Notice.Kind kind, String destination, Incident... incidents) {
        Notice notice = new Notice(kind, "slack", destination, null, List.of(incidents));
        return api.send(notice, composer.compose(notice));
    }

    @Test
    void anAlertIsPostedToTheChannelWithTheBotTokenAndItsChannelAndTsAreKept() {
        Incident.MessageId posted = send(Notice.Kind.ALERT, "default", failed("tm1", DEFAULT));

        Call call = slack.calls().get(0);
        assertThat(call.method()).isEqualTo("chat.postMessage");
        assertThat(call.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(call.field("channel")).isEqualTo("C0ALERTS");
        assertThat(call.field("text")).contains("Phrase TM task failed", "Glossary tm1");
        assertThat(call.body().get("blocks").isArray()).isTrue();
        assertThat(call.body().has("thread_ts")).as("an alert starts its own thread").isFalse();
        assertThat(posted).isEqualTo(new Incident.MessageId("C0ALERTS", "1700000000.000001", false));
    }

    @Test
    void aRoutingNamePostsToItsOwnChannelAndAnUnsetOneSaysWhichSettingIsMissing() {
        send(Notice.Kind.ALERT, "legal", failed("tm1", LEGAL));
        assertThat(slack.calls().get(0).field("channel")).isEqualTo("C0LEGAL");

        AlertDeliveryException unset = catchThrowableOfType(AlertDeliveryException.class,
                () -> send(Notice.Kind.ALERT, "finance", failed("tm2", DEFAULT)));
        assertThat(unset.getMessage()).contains("alert.slack.channel.finance", "ALERT_SLACK_CHANNEL_FINANCE");
        assertThat(unset.verdict()).isEqualTo(AlertChannel.Verdict.FINAL);
    }

    @Test
    void theResolvedAlertIsEditedThenTheResolvedNoticeRepliesInItsThread() {
        Incident.MessageId alert = new Incident.MessageId("C0ALERTS", "1699999999.000100", false);
        Incident incident = resolved(failed("tm1", DEFAULT).withAlerted("slack", "slack", T0, alert));

        assertThat(send(Notice.Kind.RESOLVED, "default", incident)).isNull();

        List<Call> calls = slack.calls();
        assertThat(calls).extracting(Call::method).containsExactly("chat.update", "chat.postMessage");
        Call update = calls.get(0);
        assertThat(update.field("channel")).isEqualTo("C0ALERTS");
        assertThat(update.field("ts")).isEqualTo("1699999999.000100");
        assertThat(update.field("text")).startsWith("Resolved: Phrase TM task failed");
        assertThat(header(update)).as("the header a channel is scanned by").isEqualTo("Resolved: Phrase TM task failed");
        assertThat(update.body().get("blocks").toString()).contains("Glossary tm1", "*Resolved* 2026-12-01 11:30:00 UTC");
        Call reply = calls.get(1);
        assertThat(reply.field("channel")).isEqualTo("C0ALERTS");
        assertThat(reply.field("thread_ts")).isEqualTo("1699999999.000100");
        assertThat(reply.field("text")).contains("Resolved", "task-ok");
        assertThat(calls).allSatisfy(call -> assertThat(call.body().toString()).as("Slack's snake_case names")
                .doesNotContain("threadTs", "blockId", "\"unfurlLinks\""));
    }

    @Test
    void theEditedHeaderIsTheTemplatesResolvedHeaderForAStuckTaskToo() {
        Incident.MessageId alert = new Incident.MessageId("C0ALERTS", "1699999999.000100", false);
        Incident stuck = resolved(Incident.detected(new FailureFacts("Glossary tm1", "tm1", "task-tm1", "IMPORT_TMX",
                null, "RUNNING", null, null, List.of(), null, Boolean.TRUE), DEFAULT, T0)
                .withAlerted("slack", "slack", T0, alert));
        send(Notice.Kind.ALERT, "default", stuck.withResolution(null));

        send(Notice.Kind.RESOLVED, "default", stuck);

        assertThat(header(slack.calls().get(0))).as("as first posted").isEqualTo("Phrase TM task stuck");
        Call update = slack.calls().get(1);
        assertThat(update.method()).isEqualTo("chat.update");
        assertThat(header(update)).isEqualTo("Resolved: Phrase TM task no longer stuck");
    }

    /** The text of the message's header block, its first. */
    private static String header(Call call) {
        var first = call.body().get("blocks").get(0);
        assertThat(first.get("type").asText()).isEqualTo("header");
        return first.at("/text/text").asText();
    }

    @Test
    void aReminderRepliesInTheAlertsThreadAndOneWithoutARecordedMessageIsAMessageOfItsOwn() {
        Incident.MessageId alert = new Incident.MessageId("C0ALERTS", "1699999999.000100", false);
        send(Notice.Kind.REMINDER, "default", failed("tm1", DEFAULT).withAlerted("slack", "slack", T0, alert));
        send(Notice.Kind.REMINDER, "default", failed("tm2", DEFAULT).withAlerted("slack", "slack", T0));

        assertThat(slack.calls()).extracting(Call::method).containsOnly("chat.postMessage");
        assertThat(slack.calls().get(0).field("thread_ts")).isEqualTo("1699999999.000100");
        assertThat(slack.calls().get(1).field("thread_ts")).as("alerted through a webhook: no thread").isNull();
        assertThat(slack.calls().get(1).field("channel")).isEqualTo("C0ALERTS");
    }

    @Test
    void aDigestIsTheThreadOfItsIncidentsAndIsNotEditedWhenOneIsResolved() {
        Incident.MessageId digest = send(Notice.Kind.DIGEST, "default", failed("tm1", DEFAULT),
                failed("tm2", DEFAULT));
        assertThat(digest.digest()).isTrue();

        Incident one = resolved(failed("tm1", DEFAULT).withAlerted("slack", "slack", T0, digest));
        send(Notice.Kind.RESOLVED, "default", one);

        assertThat(slack.calls()).extracting(Call::method).containsExactly("chat.postMessage", "chat.postMessage");
        assertThat(slack.calls().get(1).field("thread_ts")).isEqualTo(digest.ts());
    }

    @Test
    void anAlertSlackNoLongerHasIsNotEditedButTheResolvedNoticeStillGoesToItsThread() {
        slack.answerNext(Answer.refused("message_not_found"));
        Incident.MessageId alert = new Incident.MessageId("C0ALERTS", "1699999999.000100", false);
        send(Notice.Kind.RESOLVED, "default", resolved(failed("tm1", DEFAULT).withAlerted("slack", "slack", T0,
                alert)));

        assertThat(slack.taken("chat.postMessage")).singleElement()
                .satisfies(reply -> assertThat(reply.field("thread_ts")).isEqualTo("1699999999.000100"));
    }

    @Test
    void okFalseIsAFailureThatSaysWhatToFixAndNeverShowsTheToken() {
        slack.answerNext(Answer.refused("invalid_auth"), Answer.refused("channel_not_found"),
                Answer.refused("not_in_channel"));

        AlertDeliveryException auth = catchThrowableOfType(AlertDeliveryException.class,
                () -> send(Notice.Kind.ALERT, "default", failed("tm1", DEFAULT)));
        AlertDeliveryException channel = catchThrowableOfType(AlertDeliveryException.class,
                () -> send(Notice.Kind.ALERT, "legal", failed("tm1", LEGAL)));
        AlertDeliveryException notIn = catchThrowableOfType(AlertDeliveryException.class,
                () -> send(Notice.Kind.ALERT, "default", failed("tm1", DEFAULT)));

        assertThat(List.of(auth, channel, notIn)).allSatisfy(failure -> {
            assertThat(failure.verdict()).isEqualTo(AlertChannel.Verdict.FINAL);
            assertThat(failure.getMessage()).doesNotContain(TOKEN).doesNotContain("s3cret").doesNotContain("\n");
        });
        assertThat(auth.getMessage()).contains("chat.postMessage", "invalid_auth", "alert.slack.bot-token");
        assertThat(channel.getMessage()).contains("channel_not_found", "alert.slack.channel.legal");
        assertThat(notIn.getMessage()).contains("not_in_channel", "invite the app");
    }

    @Test
    void aRateLimitWaitsForRetryAfterWithoutCallingSlackAgainMeanwhile() {
        slack.answerNext(Answer.tooMany("7"));
        AlertDeliveryException limited = catchThrowableOfType(AlertDeliveryException.class,
                () -> send(Notice.Kind.ALERT, "default", failed("tm1", DEFAULT)));
        assertThat(limited.verdict()).isEqualTo(AlertChannel.Verdict.WAIT);
        assertThat(limited.retryAfter()).hasSeconds(7);

        AlertDeliveryException again = catchThrowableOfType(AlertDeliveryException.class,
                () -> send(Notice.Kind.ALERT, "default", failed("tm1", DEFAULT)));
        assertThat(again.verdict()).isEqualTo(AlertChannel.Verdict.WAIT);
        assertThat(slack.calls()).as("Slack is left alone until Retry-After").hasSize(1);
    }

    @Test
    void ratelimitedWithOkFalseWaitsAndSlacksOwnTroubleIsRetried() {
        slack.answerNext(Answer.refused("internal_error"));
        AlertDeliveryException trouble = catchThrowableOfType(AlertDeliveryException.class,
                () -> send(Notice.Kind.ALERT, "default", failed("tm1", DEFAULT)));
        assertThat(trouble.verdict()).isEqualTo(AlertChannel.Verdict.RETRY);

        slack.answerNext(Answer.refused("ratelimited"));
        AlertDeliveryException limited = catchThrowableOfType(AlertDeliveryException.class,
                () -> send(Notice.Kind.ALERT, "default", failed("tm1", DEFAULT)));
        assertThat(limited.verdict()).isEqualTo(AlertChannel.Verdict.WAIT);
        assertThat(limited.retryAfter()).as("no Retry-After: one second").hasSeconds(1);
    }
}
