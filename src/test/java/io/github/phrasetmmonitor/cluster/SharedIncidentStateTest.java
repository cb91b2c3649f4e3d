package io.github.phrasetmmonitor.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.settings.ClusterSettings;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.IncidentKey;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.state.Routing;
import io.github.phrasetmmonitor.state.StateUnavailableException;
import io.github.phrasetmmonitor.support.PostgresSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes on one real PostgreSQL schema, each with its own pool, log, state and claims, as two instances have them:
 * what one records the other sees, a notice is sent by one node only, and a dead node's claim lapses.
 */
class SharedIncidentStateTest {

    private static final Routing SLACK = new Routing(List.of("slack"), Map.of("slack", "default"));

    @RegisterExtension
    final PostgresSchema schema = new PostgresSchema();

    private final java.util.Deque<AutoCloseable> opened = new java.util.ArrayDeque<>();

    private record Node(ClusterDatabase database, IncidentState state, PostgresNoticeClaims claims) {
    }

    private Node node(String name, Duration claimLease) {
        return node(name, claimLease, Duration.ofSeconds(1));
    }

    private Node node(String name, Duration claimLease, Duration checkinInterval) {
        ClusterSettings settings = new ClusterSettings(PostgresSchema.URL, PostgresSchema.USER, "", schema.schema(),
                name, checkinInterval, claimLease);
        ClusterDatabase database = ClusterDatabase.open(settings);
        PostgresIncidentLog log = new PostgresIncidentLog(database);
        IncidentState state = new IncidentState(log, Clock.systemUTC(), true);
        state.start();
        opened.addFirst(database::stop);
        opened.addFirst(state::stop);
        return new Node(database, state, new PostgresNoticeClaims(database, log, state));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private static FailureFacts facts(String tm, String task) {
        return new FailureFacts("Name " + tm, tm, task, "IMPORT_TMX", null, "ERROR", "X", "broken", List.of(), null);
    }

    private static Notice alert(Incident incident) {
        return new Notice(Notice.Kind.ALERT, "slack", "default", null, List.of(incident));
    }

    @Test
    void whatOneNodeRecordsTheOtherSeesAndNoFailureIsRecordedTwice() {
        Node a = node("node-a", Duration.ofSeconds(60));
        Node b = node("node-b", Duration.ofSeconds(60));

        assertThat(a.state().failed(facts("tm1", "t1"), SLACK)).isTrue();
        assertThat(b.state().failed(facts("tm1", "t1"), SLACK)).as("node b knows it from node a").isFalse();
        assertThat(b.state().openIncidents()).extracting(Incident::key).containsExactly(IncidentKey.task("tm1", "t1"));

        b.state().alerted(IncidentKey.task("tm1", "t1"), "slack", "slack");
        assertThat(a.state().find("tm1", "t1").orElseThrow().carriers()).as("node a sees node b's delivery")
                .containsExactly("slack");

        a.state().succeeded("tm1", "t2", "IMPORT_TMX", "2024-05-06T07:08:09Z");
        assertThat(b.state().find("tm1", "t1").orElseThrow().isResolved()).isTrue();
    }

    @Test
    void anAlertOnItsWayOnOneNodeWhenTheOtherSeesTheTaskResolvedIsFollowedByItsResolvedNotice() {
        Node a = node("node-a", Duration.ofSeconds(60));
        Node b = node("node-b", Duration.ofSeconds(60));
        a.state().failed(facts("tm1", "t1"), SLACK);
        Incident planned = b.state().find("tm1", "t1").orElseThrow();
        assertThat(b.claims().claim(alert(planned))).isTrue();

        // node a cannot see node b's send: it keeps the resolved incident for a claim's lease
        a.state().succeeded("tm1", "t2", "IMPORT_TMX", "2024-05-06T07:08:09Z");
        a.claims().closeResolvedUntold();
        b.state().alerted(IncidentKey.task("tm1", "t1"), "slack", "slack");
        b.claims().release(alert(planned));

        assertThat(a.state().find("tm1", "t1").orElseThrow().owedResolvedNotice()).containsExactly("slack");
    }

    @Test
    void anIncidentResolvedUntoldIsClosedOnceNoClaimTakenBeforeCanBeHeld() {
        Node a = node("node-a", Duration.ofMillis(300));
        a.state().failed(facts("tm1", "t1"), SLACK);
        a.state().succeeded("tm1", "t2", "IMPORT_TMX", "2024-05-06T07:08:09Z");
        assertThat(a.state().find("tm1", "t1")).as("another node may be sending its alert").isPresent();

        Instant resolvedAt = a.state().find("tm1", "t1").orElseThrow().resolution().at();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            a.claims().closeResolvedUntold();
            assertThat(a.state().find("tm1", "t1")).as("closed a lease after " + resolvedAt).isEmpty();
        });
        assertThat(a.state().failed(facts("tm1", "t1"), SLACK)).as("a closed task is never alerted again").isFalse();
    }

    @Test
    void changesFromManyThreadsOnTwoNodesAllLand() throws Exception {
        Node a = node("node-a", Duration.ofSeconds(60));
        Node b = node("node-b", Duration.ofSeconds(60));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> news = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String tm = "tm" + i;
                // both nodes report every failure, as two overlapping rounds after a failover would
                news.add(threads.submit(() -> a.state().failed(facts(tm, "t"), SLACK)));
                news.add(threads.submit(() -> b.state().failed(facts(tm, "t"), SLACK)));
            }
            int recorded = 0;
            for (Future<Boolean> result : news) {
                recorded += result.get() ? 1 : 0;
            }
            assertThat(recorded).as("each failure is new on one node only").isEqualTo(50);
        } finally {
            threads.shutdownNow();
        }
        assertThat(a.state().openIncidents()).hasSize(50);
        assertThat(b.state().openIncidents()).hasSize(50);
    }

    @Test
    void aNoticeIsClaimedByOneNodeAndNotAgainOnceItWasRecorded() {
        Node a = node("node-a", Duration.ofSeconds(60));
        Node b = node("node-b", Duration.ofSeconds(60));
        a.state().failed(facts("tm1", "t1"), SLACK);
        // both planned the same alert from the same state
        Notice plannedByA = alert(a.state().openIncidents().get(0));
        Notice plannedByB = alert(b.state().openIncidents().get(0));

        assertThat(a.claims().claim(plannedByA)).isTrue();
        assertThat(b.claims().claim(plannedByB)).as("node a is sending it").isFalse();

        a.state().alerted(IncidentKey.task("tm1", "t1"), "slack", "slack");
        a.claims().release(plannedByA);
        assertThat(b.claims().claim(plannedByB)).as("node a sent and recorded it: what b planned is stale").isFalse();
        assertThat(a.claims().claim(plannedByA)).as("nor does node a send it twice").isFalse();
    }

    @Test
    void aClaimOfANodeThatStoppedRenewingLapsesAndAnotherNodeSendsIt() throws Exception {
        Node a = node("node-a", Duration.ofMillis(1500));
        Node b = node("node-b", Duration.ofMillis(1500));
        a.state().failed(facts("tm1", "t1"), SLACK);
        Notice notice = alert(a.state().openIncidents().get(0));
        assertThat(a.claims().claim(notice)).isTrue();
        // node a dies before recording the delivery: nothing renews its claim
        assertThat(b.claims().claim(notice)).isFalse();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> b.claims().claim(notice));
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT node FROM delivery_claims")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("node-b");
        }
    }

    @Test
    void aRenewedClaimDoesNotLapse() throws Exception {
        Node a = node("node-a", Duration.ofMillis(1500));
        Node b = node("node-b", Duration.ofMillis(1500));
        a.state().failed(facts("tm1", "t1"), SLACK);
        Notice notice = alert(a.state().openIncidents().get(0));
        assertThat(a.claims().claim(notice)).isTrue();
        // node a lives: its heartbeat renews its claims every 300 ms, for three times the lease
        java.util.concurrent.ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
        try {
            heartbeat.scheduleWithFixedDelay(() -> {
                try (Connection connection = a.database().connection()) {
                    a.claims().renew(connection);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, 0, 300, java.util.concurrent.TimeUnit.MILLISECONDS);
            await().during(Duration.ofMillis(4500)).atMost(Duration.ofSeconds(8))
                    .until(() -> !b.claims().claim(notice));
        } finally {
            heartbeat.shutdownNow();
        }
    }

    @Test
    void aLostDatabaseFailsTheChangeAndTheStateIsReadAgainAfterwards() throws Exception {
        Node a = node("node-a", Duration.ofSeconds(60));
        a.state().failed(facts("tm1", "t1"), SLACK);
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE incident_journal RENAME TO incident_journal_away");
        }
        assertThatThrownBy(() -> a.state().failed(facts("tm2", "t1"), SLACK))
                .isInstanceOf(StateUnavailableException.class).hasMessageContaining("incident_journal");
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE incident_journal_away RENAME TO incident_journal");
        }
        assertThat(a.state().openIncidents()).as("nothing of the failed change was kept, nothing else lost")
                .extracting(Incident::key).containsExactly(IncidentKey.task("tm1", "t1"));
        assertThat(a.state().failed(facts("tm2", "t1"), SLACK)).isTrue();
    }

    @Test
    void theMigrationIsNotBoundByTheLimitOnFrozenTransactions() throws Exception {
        // a starved node may pause inside its migration's transaction longer than the pool's limit allows a frozen one
        Node a = node("node-a", Duration.ofSeconds(60), Duration.ofMillis(200));
        try (java.sql.Connection pooled = a.database().connection();
                java.sql.Connection migrating = ClusterDatabase.migration(a.database().settings()).getConfiguration()
                        .getDataSource().getConnection()) {
            assertThat(idleInTransactionLimit(pooled)).as("the pool's connections").isEqualTo("1s");
            assertThat(idleInTransactionLimit(migrating)).as("the migration's connections").isEqualTo("0");
        }
    }

    private static String idleInTransactionLimit(java.sql.Connection connection) throws java.sql.SQLException {
        try (java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet result = statement.executeQuery("SHOW idle_in_transaction_session_timeout")) {
            result.next();
            return result.getString(1);
        }
    }

    @Test
    void aNodeFrozenInsideATransactionLosesItsLocksAndTheOtherNodesGoOn() throws Exception {
        // check-in every 200 ms: a transaction left idle for a second is ended by PostgreSQL
        Node a = node("node-a", Duration.ofSeconds(60), Duration.ofMillis(200));
        Node b = node("node-b", Duration.ofSeconds(60), Duration.ofMillis(200));
        assertThat(ClusterDatabase.frozenTransactionLimit(a.database().settings())).isEqualTo(Duration.ofSeconds(1));
        PostgresIncidentLog frozenLog = new PostgresIncidentLog(a.database());
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch wake = new java.util.concurrent.CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            // node a holds the state's lock inside a transaction and then sends nothing, as a stopped process would
            Future<Object> frozen = threads.submit(() -> frozenLog.exclusive(() -> {
                inside.countDown();
                try {
                    wake.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }, line -> false));
            assertThat(inside.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Future<Boolean> other = threads.submit(() -> b.state().failed(facts("tm9", "t9"), SLACK));
            assertThat(other.get(20, java.util.concurrent.TimeUnit.SECONDS))
                    .as("node b records its failure while node a is still frozen").isTrue();
            wake.countDown();
            assertThatThrownBy(frozen::get).as("node a's change is not taken as done when it wakes")
                    .hasCauseInstanceOf(StateUnavailableException.class);
        } finally {
            wake.countDown();
            threads.shutdownNow();
        }
        assertThat(a.state().openIncidents()).extracting(Incident::key).contains(IncidentKey.task("tm9", "t9"));
    }
}
