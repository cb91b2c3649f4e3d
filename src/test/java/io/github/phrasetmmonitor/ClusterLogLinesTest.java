package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.MonitorProcess;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PostgresSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ops read in a cluster of two nodes, each in its own JVM, on the real PostgreSQL: a node joining the running
 * cluster follows each of camel-quartz's "Next fire date is null" lines with one of ours; a node woken from a freeze
 * after the other took it for dead says so in one line of ours instead of Quartz's "still active but was recovered
 * ... may cause inconsistent behavior"; and phrase_monitor_cluster_last_round, read between two rounds, names the node
 * that ran the last one on both nodes.
 */
class ClusterLogLinesTest {

    private static final int TMS = 3;
    private static final String NULL_FIRE_DATE = "is scheduled. Next fire date is null";
    private static final String OUR_TRIGGER_NOTE = "was scheduled by the cluster already";
    private static final String QUARTZ_RECOVERED = "still active but was recovered";
    private static final String OUR_RECOVERED_NOTE = "This node was taken for dead by another node";

    @TempDir
    Path workDir;

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();
    @RegisterExtension
    final PostgresSchema database = new PostgresSchema();

    private final Map<String, MonitorProcess> nodes = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> envs = new LinkedHashMap<>();

    @BeforeEach
    void stubs() throws Exception {
        MonitorProcess.prepareWorkDir(workDir);
        for (int i = 0; i < TMS; i++) {
            bed.phrase().translationMemory("tm" + i, "TM " + i).lastTask("tm" + i, ok("ok-" + i));
        }
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (Map.Entry<String, MonitorProcess> node : nodes.entrySet()) {
            if (node.getValue().isAlive()) {
                signal(node.getValue(), "CONT");
            }
            node.getValue().close();
            List<String> lines = node.getValue().lines();
            System.out.println("===== " + node.getKey() + ": its last 100 lines =====");
            lines.subList(Math.max(0, lines.size() - 100), lines.size()).forEach(System.out::println);
        }
    }

    private MonitorProcess start(String name) throws Exception {
        Map<String, String> env = MonitorProcess.env(bed.phrase().baseUrl(), bed.slack().webhookUrl(),
                workDir.resolve("data-" + name), String.join(",", IntStream.range(0, TMS).mapToObj(i -> "tm" + i)
                        .toList()));
        env.putAll(database.clusterEnvironment(name));
        env.put("MONITOR_STALE_AFTER", "60s");
        MonitorProcess node = MonitorProcess.start(workDir, env);
        nodes.put(name, node);
        envs.put(name, env);
        return node;
    }

    private String metrics(String name) throws Exception {
        return Management.get("http://127.0.0.1:" + envs.get(name).get("MONITOR_MANAGEMENT_PORT")
                + "/observe/metrics").body();
    }

    private boolean ready(String name) throws Exception {
        return Management.get("http://127.0.0.1:" + envs.get(name).get("MONITOR_MANAGEMENT_PORT")
                + "/observe/health/ready").status() == 200;
    }

    /** The node that ran the cluster's last round, and when that round ended. */
    private Optional<List<String>> lastRound() throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT last_round_node, last_round_end FROM cluster_rounds")) {
            return row.next() && row.getString(1) != null
                    ? Optional.of(List.of(row.getString(1), row.getString(2))) : Optional.empty();
        }
    }

    private boolean checkedIn(String name) throws Exception {
        try (Connection connection = database.connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM qrtz_scheduler_state WHERE instance_name = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    private long lastCheckin(String name) throws Exception {
        try (Connection connection = database.connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT last_checkin_time FROM qrtz_scheduler_state WHERE instance_name = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    private static double lastRoundGauge(String metrics, String node) {
        Matcher line = Pattern.compile("^phrase_monitor_cluster_last_round\\{node=\"" + Pattern.quote(node)
                + "\"} (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        assertThat(line.find()).as("phrase_monitor_cluster_last_round of node " + node + " in\n" + metrics).isTrue();
        return Double.parseDouble(line.group(1));
    }

    private static long count(List<String> lines, String... all) {
        return lines.stream().filter(line -> List.of(all).stream().allMatch(line::contains)).count();
    }

    private static void signal(MonitorProcess node, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid())).inheritIO().start().waitFor();
    }

    @Test
    void joiningAndWakingAreExplainedAndTheLastRoundGaugeIsRightBetweenRounds() throws Exception {
        Duration patience = Duration.ofSeconds(90);
        start("node-a");
        await().atMost(patience).ignoreExceptions().until(() -> lastRound().isPresent());
        assertThat(nodes.get("node-a").lines()).as("the first node stores the triggers: nothing to explain")
                .noneMatch(line -> line.contains(NULL_FIRE_DATE) || line.contains(OUR_TRIGGER_NOTE));

        // node-b joins the running cluster: camel-quartz finds both triggers stored
        start("node-b");
        await().atMost(patience).ignoreExceptions().until(() -> ready("node-b"));
        await().atMost(patience).until(() -> count(nodes.get("node-b").lines(), OUR_TRIGGER_NOTE) >= 2);
        List<String> joined = nodes.get("node-b").lines();
        for (String job : List.of("phrase-tm-monitor.poll", "phrase-tm-monitor.problem-check")) {
            long camels = count(joined, "Job " + job + " ", NULL_FIRE_DATE);
            assertThat(count(joined, "Job " + job + " ", OUR_TRIGGER_NOTE)).as("one line of ours per camel-quartz"
                    + " line about job %s in:\n%s", job, String.join("\n", joined)).isEqualTo(camels).isOne();
            int theirs = indexOf(joined, "Job " + job + " ", NULL_FIRE_DATE);
            int ours = indexOf(joined, "Job " + job + " ", OUR_TRIGGER_NOTE);
            assertThat(ours).as("ours follows camel-quartz's line").isGreaterThan(theirs);
            assertThat(joined.get(ours)).as("the stored trigger's next tick").containsPattern("next tick is at 20");
        }

        // the last-round gauge, read on both nodes between two rounds (the database says the same before and after)
        System.out.println("last-round gauge checked between rounds run by "
                + gaugesAgreeBetweenRounds(List.of("node-a", "node-b"), 5));
        HealthAndMetricsTest.DocumentedMeter documented = HealthAndMetricsTest.DocumentedMeter.fromDocs().stream()
                .filter(meter -> meter.name().equals("phrase_monitor_cluster_last_round")).findFirst().orElseThrow();
        assertThat(metrics("node-b")).as("the help text is the documented meaning")
                .contains("# HELP phrase_monitor_cluster_last_round " + documented.meaning() + "\n");

        // freeze node-a until node-b took it for dead and removed its check-in, then wake it
        MonitorProcess frozen = nodes.get("node-a");
        signal(frozen, "STOP");
        await().atMost(patience).until(() -> !checkedIn("node-a"));
        // node-b takes the rounds over: its gauge says 1 as soon as its first round has ended, not a check-in later
        await().atMost(patience).until(() -> lastRound().map(round -> round.get(0)).equals(Optional.of("node-b")));
        assertThat(gaugesAgreeBetweenRounds(List.of("node-b"), 1)).containsOnly("node-b");
        signal(frozen, "CONT");
        // and the woken node, whose last check-in said it ran the last round, says what the database says now
        gaugesAgreeBetweenRounds(List.of("node-a", "node-b"), 1);
        await().atMost(patience).until(() -> count(frozen.lines(), OUR_RECOVERED_NOTE) > 0);
        // a few more check-ins of the woken node: Quartz's line would come with the first
        await().atMost(patience).until(() -> checkedIn("node-a"));
        long woke = lastCheckin("node-a");
        await().atMost(patience).until(() -> lastCheckin("node-a") >= woke + 3_000);
        assertThat(frozen.lines()).as("Quartz's alarming line is prevented").noneMatch(line -> line.contains(
                QUARTZ_RECOVERED));
        assertThat(count(frozen.lines(), OUR_RECOVERED_NOTE)).as("one line of ours").isOne();
        assertThat(frozen.isAlive() && nodes.get("node-b").isAlive()).isTrue();
    }

    /**
     * Reads the gauge of each of {@code scraped} between two reads of the database that agree (no round ended in
     * between), {@code samples} times: each must say 1 exactly when it ran the last round. Returns who had.
     */
    private List<String> gaugesAgreeBetweenRounds(List<String> scraped, int samples) {
        List<String> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            Optional<List<String>> before = lastRound();
            Map<String, String> metrics = new LinkedHashMap<>();
            for (String name : scraped) {
                try {
                    metrics.put(name, metrics(name));
                } catch (java.io.UncheckedIOException e) {
                    return false; // a node just woken may not answer at once
                }
            }
            if (before.isEmpty() || !before.equals(lastRound())) {
                return false;
            }
            String last = before.get().get(0);
            metrics.forEach((name, text) -> assertThat(lastRoundGauge(text, name))
                    .as("%s's gauge when %s ran the last round", name, last)
                    .isEqualTo(last.equals(name) ? 1.0 : 0.0));
            seen.add(last);
            return seen.size() >= samples;
        });
        return seen;
    }

    private static int indexOf(List<String> lines, String... all) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (List.of(all).stream().allMatch(line::contains)) {
                return i;
            }
        }
        return -1;
    }
}
