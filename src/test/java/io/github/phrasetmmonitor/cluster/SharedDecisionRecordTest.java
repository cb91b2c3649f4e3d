package io.github.phrasetmmonitor.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.alert.DecisionRecord;
import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.settings.ClusterSettings;
import io.github.phrasetmmonitor.state.Decision;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.IncidentKey;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.state.Routing;
import io.github.phrasetmmonitor.support.PostgresSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The decision record in cluster mode: kept in the shared table with the incident, so a second node (or a node that
 * starts later) reads the same record, after the incident closed too; a notice another node holds the claim of is
 * recorded as held back by this node, naming the other.
 */
class SharedDecisionRecordTest {

    private static final Routing SLACK = new Routing(List.of("slack"), Map.of("slack", "default"));

    @RegisterExtension
    final PostgresSchema schema = new PostgresSchema();

    private final java.util.Deque<AutoCloseable> opened = new java.util.ArrayDeque<>();

    private record Node(IncidentState state, PostgresNoticeClaims claims) {
    }

    private Node node(String name) {
        ClusterSettings settings = new ClusterSettings(PostgresSchema.URL, PostgresSchema.USER, "", schema.schema(),
                name, Duration.ofSeconds(1), Duration.ofSeconds(60));
        ClusterDatabase database = ClusterDatabase.open(settings);
        PostgresIncidentLog log = new PostgresIncidentLog(database);
        IncidentState state = new IncidentState(log, Clock.systemUTC(), true,
                new IncidentState.HistoryBounds(50, Duration.ofDays(7)));
        state.start();
        opened.addFirst(database::stop);
        opened.addFirst(state::stop);
        return new Node(state, new PostgresNoticeClaims(database, log, state, new DecisionRecord(state, name)));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private static List<String> lines(IncidentState state) {
        return state.history("tm1", null, null, null).stream().map(entry -> entry.decision().describe()).toList();
    }

    @Test
    void aSecondNodeReadsTheSameRecordBeforeAndAfterTheIncidentClosed() {
        Node a = node("node-a");
        Node b = node("node-b");
        FailureFacts facts = new FailureFacts("Name", "tm1", "t1", "IMPORT_TMX", null, "ERROR", "X", "broken",
                List.of(), null);
        a.state().failed(facts, SLACK);
        IncidentKey key = IncidentKey.task("tm1", "t1");
        Notice alert = new Notice(Notice.Kind.ALERT, "slack", "default", null,
                List.of(a.state().openIncidents().get(0)));

        assertThat(a.claims().claim(alert)).isTrue();
        Notice plannedByB = new Notice(Notice.Kind.ALERT, "slack", "default", null,
                List.of(b.state().openIncidents().get(0)));
        assertThat(b.claims().claim(plannedByB)).as("node a is sending it").isFalse();
        a.state().delivered(key, Incident.Stage.ALERT, "slack", "slack", null,
                Decision.sent(Instant.now(), "slack", "default", "alert", null, null, "node-a"));
        a.claims().release(alert);

        List<String> expected = List.of(
                "held back alert on slack to default: claimed by another node (node node-a is sending it) [node-b]",
                "sent alert on slack to default [node-a]");
        assertThat(lines(a.state())).isEqualTo(expected);
        assertThat(lines(b.state())).as("read from the second node").isEqualTo(expected);

        b.state().succeeded("tm1", "t2", "IMPORT_TMX", null);
        b.state().delivered(key, Incident.Stage.RESOLVED, "slack", "slack", null,
                Decision.sent(Instant.now(), "slack", "default", "resolved", null, null, "node-b"));
        assertThat(a.state().find(key)).as("closed").isEmpty();
        assertThat(lines(a.state())).as("closed, read from the other node").hasSize(3)
                .last().isEqualTo("sent resolved on slack to default [node-b]");
        Node c = node("node-c");
        assertThat(lines(c.state())).as("a node that starts later").isEqualTo(lines(a.state()));
    }
}
