package io.github.phrasetmmonitor.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.settings.ClusterSettings;
import io.github.phrasetmmonitor.health.MonitorProblems;
import io.github.phrasetmmonitor.poll.RoundLeases;
import io.github.phrasetmmonitor.support.PostgresSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One round at a time across the nodes, on a real PostgreSQL schema; a dead or frozen node's round is taken over. */
class RoundLeasesTest {

    private static final MonitorProblems.Memory NOTHING = new MonitorProblems.Memory(Map.of(), null, null, null, 0,
            null, null, false);

    @RegisterExtension
    final PostgresSchema schema = new PostgresSchema();
    /** Another cluster in the same database. */
    @RegisterExtension
    final PostgresSchema otherCluster = new PostgresSchema();

    private final Deque<ClusterDatabase> databases = new ArrayDeque<>();

    private PostgresRoundLeases node(String name) {
        return node(name, schema);
    }

    private PostgresRoundLeases node(String name, PostgresSchema in) {
        // a check-in of 1 s: a round lease of 3 s
        ClusterDatabase database = ClusterDatabase.open(new ClusterSettings(PostgresSchema.URL, PostgresSchema.USER,
                "", in.schema(), name, Duration.ofSeconds(1), Duration.ofSeconds(60)));
        databases.push(database);
        return new PostgresRoundLeases(database);
    }

    @AfterEach
    void close() {
        databases.forEach(ClusterDatabase::stop);
    }

    private String lastRoundNode() throws Exception {
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT last_round_node FROM cluster_rounds")) {
            row.next();
            return row.getString(1);
        }
    }

    @Test
    void oneRoundAtATimeAndTheProblemChecksGoOnWhereTheLastRoundEnded() throws Exception {
        PostgresRoundLeases a = node("node-a");
        PostgresRoundLeases b = node("node-b");

        RoundLeases.Lease first = a.take().orElseThrow();
        assertThat(b.take()).as("node a runs a round").isEmpty();
        MonitorProblems.Memory afterA = new MonitorProblems.Memory(
                Map.of("tm1", new MonitorProblems.Streak(2, Instant.parse("2026-12-01T10:00:00Z"), "HTTP 503", false)),
                null, null, "TM tm1: HTTP 503", 0, null, Instant.parse("2026-12-01T10:00:05Z"), false);
        a.finished(first, true, afterA);
        assertThat(lastRoundNode()).isEqualTo("node-a");

        RoundLeases.Lease second = b.take().orElseThrow();
        assertThat(second.handedOver()).as("node b takes over node a's streaks").contains(afterA);
        b.finished(second, true, NOTHING);
        RoundLeases.Lease third = b.take().orElseThrow();
        assertThat(third.handedOver()).as("its own memory: nothing to take over").isEmpty();
        b.finished(third, true, NOTHING);
        RoundLeases.Lease fourth = a.take().orElseThrow();
        assertThat(fourth.handedOver()).contains(NOTHING);
        a.finished(fourth, true, NOTHING);
    }

    @Test
    void aTickSkippedOnAnotherNodeIsCaughtUpOnceByTheNodeWhoseRoundEnds() {
        PostgresRoundLeases a = node("node-a");
        PostgresRoundLeases b = node("node-b");

        RoundLeases.Lease first = a.take().orElseThrow();
        assertThat(b.take()).as("node a runs a round").isEmpty();
        b.tickMissed();
        b.tickMissed();
        assertThat(a.finished(first, true, NOTHING)).as("node b's skipped ticks: one catch-up").isTrue();

        RoundLeases.Lease second = a.take().orElseThrow();
        assertThat(a.finished(second, true, NOTHING)).as("caught up: nothing owed any more").isFalse();

        // a tick skipped while no round runs (between two) is covered by the next tick, not marked
        b.tickMissed();
        RoundLeases.Lease third = b.take().orElseThrow();
        assertThat(b.finished(third, true, NOTHING)).isFalse();
    }

    @Test
    void twoClustersInOneDatabaseDoNotHoldEachOthersRounds() {
        PostgresRoundLeases a = node("node-a");
        PostgresRoundLeases elsewhere = node("node-x", otherCluster);
        RoundLeases.Lease here = a.take().orElseThrow();
        RoundLeases.Lease there = elsewhere.take().orElseThrow();
        a.finished(here, true, NOTHING);
        elsewhere.finished(there, true, NOTHING);
    }

    @Test
    void aDeadNodesRoundLockIsFreeAtOnce() throws Exception {
        PostgresRoundLeases a = node("node-a");
        PostgresRoundLeases b = node("node-b");
        assertThat(a.take()).isPresent();
        // node a dies: PostgreSQL ends its sessions, as when the process is killed
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(running_pid) FROM cluster_rounds");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> b.take().map(lease -> {
            b.finished(lease, true, NOTHING);
            return true;
        }).orElse(false));
        assertThat(lastRoundNode()).isEqualTo("node-b");
    }

    @Test
    void aFrozenNodeLosesItsRoundAfterTheLeaseAndLearnsItWhenItWakes() throws Exception {
        PostgresRoundLeases a = node("node-a");
        PostgresRoundLeases b = node("node-b");
        RoundLeases.Lease frozen = a.take().orElseThrow();
        assertThat(b.take()).as("the lease is fresh").isEmpty();

        // node a does not renew (it is frozen): after 3 s node b ends its session and runs the round
        Optional<RoundLeases.Lease> takenOver = await().atMost(Duration.ofSeconds(15))
                .until(b::take, Optional::isPresent);
        assertThat(frozen.held()).as("node a has not noticed yet").isTrue();
        a.renew(); // node a wakes: its heartbeat finds its session gone
        assertThat(frozen.held()).isFalse();
        a.finished(frozen, true, NOTHING);
        b.finished(takenOver.orElseThrow(), true, NOTHING);
        assertThat(lastRoundNode()).as("the woken node's end is not recorded").isEqualTo("node-b");
    }
}
