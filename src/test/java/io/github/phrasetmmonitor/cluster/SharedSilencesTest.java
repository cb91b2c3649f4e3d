package io.github.phrasetmmonitor.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.alert.AlertPlanner;
import io.github.phrasetmmonitor.alert.AlertTestData;
import io.github.phrasetmmonitor.alert.RoundUnderWay;
import io.github.phrasetmmonitor.settings.ClusterSettings;
import io.github.phrasetmmonitor.silence.Silence;
import io.github.phrasetmmonitor.silence.SilenceMatcher;
import io.github.phrasetmmonitor.silence.Silences;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.state.Routing;
import io.github.phrasetmmonitor.support.PostgresSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An ad-hoc silence is kept in the cluster database: added through one node (as the silence command does), it holds
 * back the notices on every node, and expired through another it lets them go on every node.
 */
class SharedSilencesTest {

    private static final Routing SLACK = new Routing(List.of("slack"), Map.of("slack", "default"));

    @RegisterExtension
    final PostgresSchema schema = new PostgresSchema();

    private final java.util.Deque<AutoCloseable> opened = new java.util.ArrayDeque<>();

    private record Node(PostgresSilences silences, IncidentState state, AlertPlanner planner) {
    }

    private Node node(String name) {
        ClusterSettings settings = new ClusterSettings(PostgresSchema.URL, PostgresSchema.USER, "", schema.schema(),
                name, Duration.ofSeconds(1), Duration.ofSeconds(60));
        ClusterDatabase database = ClusterDatabase.open(settings);
        IncidentState state = new IncidentState(new PostgresIncidentLog(database), Clock.systemUTC(), true);
        state.start();
        opened.addFirst(database::stop);
        opened.addFirst(state::stop);
        PostgresSilences store = new PostgresSilences(database);
        AlertPlanner planner = new AlertPlanner(state, AlertTestData.channels(), Optional.empty(), Duration.ZERO, 5,
                RoundUnderWay.NONE, new Silences(List.of(), store, Silences.AfterSilence.TELL, Clock.systemUTC()));
        return new Node(store, state, planner);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    @Test
    void aSilenceAddedOnOneNodeHoldsOnEveryNodeAndItsExpiryToo() {
        Node a = node("node-a");
        Node b = node("node-b");
        Instant now = Instant.now();
        a.silences().add(new Silence("c1d2e3f4", SilenceMatcher.parse(List.of("tm=tm1")), now.minusSeconds(1),
                now.plus(Duration.ofHours(1)), "alice", "migrating tm1", now, null));
        a.state().failed(new FailureFacts("Name tm1", "tm1", "task-1", "IMPORT_TMX", null, "ERROR", "X", "broken",
                List.of(), null), SLACK);

        await().atMost(Duration.ofSeconds(10)).until(() -> b.state().find("tm1", "task-1").isPresent());
        assertThat(b.planner().announcements("slack")).as("held back on the node that did not add it").isEmpty();
        assertThat(a.planner().announcements("slack")).as("and on the one that did").isEmpty();

        b.silences().expire("c1d2e3f4", Instant.now());
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.planner().announcements("slack").isEmpty());
        assertThat(b.silences().all()).singleElement()
                .satisfies(silence -> assertThat(silence.expiredAt()).isNotNull());
    }
}
