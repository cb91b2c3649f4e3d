package io.github.phrasetmmonitor.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slack app mode keeps the message that carried an alert (Slack's channel id and ts) in the incident's delivery
 * record: it survives a restart, and journal lines written before it existed still load.
 */
class SlackMessageStateUnitTest {

    private static final Map<String, String> DESTINATIONS = Map.of("slack", "default", "email", "ops@example.com");
    private static final Routing BOTH = new Routing(List.of("slack", "email"), DESTINATIONS);

    @TempDir
    Path dir;

    private IncidentState state;

    private Path journal() {
        return dir.resolve(IncidentState.JOURNAL);
    }

    private IncidentState restart() {
        if (state != null) {
            state.stop();
        }
        state = new IncidentState(journal(), Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC),
                true, DESTINATIONS);
        state.start();
        return state;
    }

    @AfterEach
    void stop() {
        if (state != null) {
            state.stop();
        }
    }

    private static FailureFacts facts(String tm) {
        return new FailureFacts("Name " + tm, tm, "t1", "IMPORT_TMX", null, "ERROR", "X", "broken", List.of(), null);
    }

    @Test
    void theSlackMessageOfAnAlertSurvivesARestart() throws Exception {
        IncidentState first = restart();
        first.failed(facts("tm"), BOTH);
        Incident.MessageId posted = new Incident.MessageId("C0ALERTS", "1700000000.000100", false);
        first.alerted(IncidentKey.task("tm", "t1"), "slack", "slack", posted);
        first.alerted(IncidentKey.task("tm", "t1"), "email", "email");

        Incident after = restart().find("tm", "t1").orElseThrow();
        assertThat(after.message("slack")).contains(posted);
        assertThat(after.message("email")).isEmpty();
        assertThat(after.alerted().get("email").message()).isNull();
        assertThat(Files.readString(journal())).contains("\"message\":{\"channel\":\"C0ALERTS\","
                + "\"ts\":\"1700000000.000100\",\"digest\":false}");
    }

    @Test
    void aDeliveryWithoutAMessageIsWrittenAsBeforeAndOldLinesLoad() throws Exception {
        Files.writeString(journal(), "{\"incident\":{\"facts\":{\"tmName\":\"Name tm\",\"tmUid\":\"tm\","
                + "\"taskId\":\"t1\",\"action\":\"IMPORT_TMX\",\"status\":\"ERROR\",\"errorCode\":\"X\","
                + "\"error\":\"broken\",\"errorDetails\":[]},\"routing\":{\"channels\":[\"slack\",\"email\"],"
                + "\"destinations\":{\"slack\":\"default\",\"email\":\"ops@example.com\"}},"
                + "\"detectedAt\":\"2026-12-01T09:00:00Z\",\"alerted\":{\"slack\":{\"via\":\"slack\","
                + "\"at\":\"2026-12-01T09:00:01Z\"}},\"reminded\":{}}}\n");

        Incident old = restart().find("tm", "t1").orElseThrow();
        assertThat(old.alerted().get("slack")).isEqualTo(new Incident.Delivery("slack",
                Instant.parse("2026-12-01T09:00:01Z")));
        assertThat(old.message("slack")).isEmpty();
        assertThat(Files.readString(journal())).as("rewritten on start, still without the field")
                .doesNotContain("message");
    }
}
