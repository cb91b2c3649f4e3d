package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.Routing;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One Message-ID per notice, whichever copy, attempt, round or restart sends it; another for another notice. */
class NoticeMessageIdUnitTest {

    private static final Instant T0 = Instant.parse("2024-05-06T07:00:00Z");
    private static final Routing TEAM = new Routing(List.of("email"), Map.of("email", "ops@example.com,lead@x.org"));
    private final NoticeMessageId ids = new NoticeMessageId("Phrase Monitor <monitor@Alerts.Example.com>");

    private static Incident incident(String tm) {
        return Incident.detected(new FailureFacts("Name " + tm, tm, "task-" + tm, "IMPORT_TMX", null, "ERROR", "X",
                "broken", List.of(), null), TEAM, T0);
    }

    private static Notice notice(Notice.Kind kind, String destination, Incident... incidents) {
        return new Notice(kind, "email", destination, null, List.of(incidents));
    }

    @Test
    void everyCopyOfANoticeHasTheSameIdInTheSendersDomain() {
        String first = ids.of(notice(Notice.Kind.ALERT, "ops@example.com,lead@x.org", incident("a")));
        // the late copy, planned again in a later round (or after a restart) for the one who lacks it
        String late = ids.of(notice(Notice.Kind.ALERT, "lead@x.org", incident("a")));

        assertThat(first).isEqualTo(late).matches("<[0-9a-f]{32}\\.phrase-tm-monitor@alerts\\.example\\.com>");
    }

    @Test
    void anotherNoticeHasAnotherId() {
        Incident a = incident("a");
        Incident alerted = a.withAlerted("email", "email", T0.plusSeconds(60));
        Incident reminded = alerted.withReminded("email", T0.plusSeconds(3600));
        String alert = ids.of(notice(Notice.Kind.ALERT, "ops@example.com", a));

        assertThat(List.of(alert,
                ids.of(notice(Notice.Kind.ALERT, "ops@example.com", incident("b"))),
                ids.of(notice(Notice.Kind.REMINDER, "ops@example.com", alerted)),
                ids.of(notice(Notice.Kind.REMINDER, "ops@example.com", reminded)),
                ids.of(notice(Notice.Kind.DIGEST, "ops@example.com", a, incident("b"))))).doesNotHaveDuplicates();
        assertThat(ids.of(notice(Notice.Kind.DIGEST, "ops@example.com", incident("b"), a)))
                .as("a digest is the same whatever the order of its incidents")
                .isEqualTo(ids.of(notice(Notice.Kind.DIGEST, "ops@example.com", a, incident("b"))));
    }

    @Test
    void withoutAUsableSenderTheDomainIsReserved() {
        assertThat(new NoticeMessageId("").of(notice(Notice.Kind.ALERT, "ops@example.com", incident("a"))))
                .endsWith("@phrase-tm-monitor.invalid>");
    }
}
