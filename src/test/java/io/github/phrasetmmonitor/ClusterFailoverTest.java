package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.Management;
import io.github.phrasetmmonitor.support.MonitorProcess;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PhraseApiStub;
import io.github.phrasetmmonitor.support.PostgresSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the monitor, each in its own JVM as ops run them, on one real PostgreSQL schema, polling every
 * second: each failure and a problem of the monitor are told once by the cluster, not once per node; a tick runs one
 * round, not one per node; the node running the rounds is killed with kill -9 and the other goes on; a frozen node
 * (SIGSTOP) loses nothing and sends nothing twice when it wakes.
 */
class ClusterFailoverTest {

    private static final int TMS = 12;

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
            resume(node.getValue());
            node.getValue().close();
            // each node's own log, for a failure's cause (the work directory goes with the test)
            List<String> lines = node.getValue().lines();
            System.out.println("===== " + node.getKey() + ": its last 150 lines =====");
            lines.subList(Math.max(0, lines.size() - 150), lines.size()).forEach(System.out::println);
        }
    }

    private MonitorProcess start(String name) throws Exception {
        Map<String, String> env = MonitorProcess.env(bed.phrase().baseUrl(), bed.slack().webhookUrl(),
                workDir.resolve("data-" + name), String.join(",", IntStream.range(0, TMS).mapToObj(i -> "tm" + i)
                        .toList()));
        env.putAll(database.clusterEnvironment(name));
        env.put("CLUSTER_CLAIM_LEASE", "5s");
        // a failover may take a check-in and a second: longer than 3 periods of this 1 s cron
        env.put("MONITOR_STALE_AFTER", "60s");
        // a problem check each second: problem and stale notices must still come once, not once per node
        env.put("MONITOR_PROBLEM_CHECK_INTERVAL", "1s");
        MonitorProcess node = MonitorProcess.start(workDir, env);
        nodes.put(name, node);
        envs.put(name, env);
        return node;
    }

    private String management(String name) {
        return "http://127.0.0.1:" + envs.get(name).get("MONITOR_MANAGEMENT_PORT") + "/observe";
    }

    private long alertsFor(String taskId) {
        return bed.slack().posts().stream().filter(post -> post.contains(taskId)).count();
    }

    private Optional<String> lastRoundNode() throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT last_round_node FROM cluster_rounds")) {
            return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
        }
    }

    private Optional<String> runningNode() throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT running_node FROM cluster_rounds")) {
            return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
        }
    }

    private List<Instant> polls(String uid) {
        return bed.phrase().arrivals(".*/transMemories/" + uid + "/lastBackgroundTask");
    }

    private static void signal(MonitorProcess node, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid())).inheritIO().start().waitFor();
    }

    private static void resume(MonitorProcess node) throws Exception {
        if (node.isAlive()) {
            signal(node, "CONT");
        }
    }

    @Test
    void theClusterAlertsOnceRunsOneRoundPerTickAndGoesOnWhenTheRoundNodeIsKilled() throws Exception {
        Duration patience = Duration.ofSeconds(90);
        bed.phrase().lastTask("tm0", failed("task-a", "TMX broken"));
        bed.phrase().lastTask("tm1", failed("task-b", "Import failed"));
        // a problem of the monitor too: told once by the cluster, not once per node
        bed.phrase().server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                "/web/api2/v1/transMemories/tm11").willReturn(PhraseApiStub.status(404)
                .withBody("{\"errorCode\":\"NotFound\"}")));
        start("node-a");
        start("node-b");
        await().atMost(patience).until(() -> alertsFor("task-a") > 0 && alertsFor("task-b") > 0);
        // both nodes are up and ready: the standby too, as the cluster polls
        for (String name : nodes.keySet()) {
            await().atMost(patience).ignoreExceptions().until(() -> Management.get(management(name) + "/health/ready").status() == 200);
            await().atMost(patience).until(() -> Management.get(management(name) + "/metrics").body()
                    .contains("phrase_monitor_cluster_last_round{"));
        }

        // a few rounds with both nodes alive: one poll per TM per tick, whichever node runs it. A tick may fire late
        // (a busy machine), so two rounds may come closer than the 1 s period; what cannot happen is more rounds
        // than ticks: if each node ran each tick, 8 polls would span about 3.5 s instead of 7
        int before = polls("tm5").size();
        await().atMost(patience).until(() -> polls("tm5").size() >= before + 8);
        List<Instant> quiet = polls("tm5").subList(before, before + 8);
        int ticksSpanned = (int) Math.ceil(Duration.between(quiet.get(0), quiet.get(quiet.size() - 1)).toMillis()
                / 1000.0) + 1;
        assertThat(quiet.size()).as("one round per tick across the cluster: TM tm5 polled at %s", quiet)
                .isLessThanOrEqualTo(ticksSpanned + 1);

        // kill -9 the node that ran the last round, while failures keep appearing
        String victim = lastRoundNode().orElseThrow();
        String survivor = nodes.keySet().stream().filter(name -> !name.equals(victim)).findFirst().orElseThrow();
        nodes.get(victim).kill();
        Instant killed = Instant.now();
        bed.phrase().lastTask("tm2", failed("task-c", "Export failed"));
        await().atMost(patience).until(() -> alertsFor("task-c") > 0);
        Instant firstPollAfter = polls("tm2").stream().filter(at -> at.isAfter(killed)).findFirst().orElseThrow();
        System.out.printf("failover: first poll %d ms after kill -9 of %s%n",
                Duration.between(killed, firstPollAfter).toMillis(), victim);
        await().atMost(patience).until(() -> lastRoundNode().equals(Optional.of(survivor)));

        // start the killed node again; then freeze the round node while its check of tm3 waits for Phrase's answer,
        // an old one: it wakes with it after another node took the round over and alerted tm3's newer failure
        MonitorProcess restarted = start(victim);
        await().atMost(patience).ignoreExceptions().until(() -> Management.get(management(victim) + "/health/ready")
                .status() == 200);
        bed.phrase().lastTask("tm3", com.github.tomakehurst.wiremock.client.WireMock.okJson(ok("ok-3"))
                .withFixedDelay(4_000));
        await().atMost(patience).during(Duration.ofMillis(800)).until(() -> bed.phrase().inFlight() > 0);
        String frozen = runningNode().orElseThrow();
        signal(nodes.get(frozen), "STOP");
        bed.phrase().lastTask("tm3", failed("task-d", "Cleanup failed"));
        await().atMost(patience).until(() -> alertsFor("task-d") > 0);
        signal(nodes.get(frozen), "CONT");
        await().atMost(patience).until(() -> nodes.get(frozen).output().contains("is not recorded"));
        bed.phrase().lastTask("tm4", failed("task-e", "Another failure"));
        await().atMost(patience).until(() -> alertsFor("task-e") > 0);
        // the woken node had a few seconds to send again what it had planned before it froze
        int posts = bed.slack().posts().size();
        int polled = polls("tm4").size();
        await().atMost(patience).until(() -> polls("tm4").size() >= polled + 3);
        assertThat(restarted.isAlive()).isTrue();

        assertThat(bed.slack().posts()).as("nothing more came after").hasSize(posts);
        List<String> tasks = List.of("task-a", "task-b", "task-c", "task-d", "task-e");
        Map<String, Long> perTask = new LinkedHashMap<>();
        tasks.forEach(task -> perTask.put(task, alertsFor(task)));
        assertThat(perTask).as("every failure alerted once by the cluster, none twice").allSatisfy(
                (task, count) -> assertThat(count).as(task).isEqualTo(1L));
        List<String> others = new ArrayList<>(bed.slack().posts());
        others.removeIf(post -> tasks.stream().anyMatch(post::contains));
        assertThat(others).as("the one problem, once, and nothing else: %s", others).singleElement().asString()
                .contains("tm-not-found:tm11");
    }
}
