package io.github.phrasetmmonitor.benchmark;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMailUtil;
import io.github.phrasetmmonitor.support.MonitorProcess;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PostgresSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's failover as an operator would try it (issue 11's "done when"): three instances of the jar's main class,
 * each in its own JVM, on one PostgreSQL schema, a 5-second cron and 200 TMs in the Phrase stub, failures appearing
 * throughout, alerts on Slack and email. The node running the rounds is killed with kill -9 three times (and started
 * again), and one node is frozen with SIGSTOP past its round lease, then resumed. Prints, for BENCHMARKS.md: how long
 * after each kill the next round started, repeats per channel, TMs polled twice in one tick, and problem notices.
 *
 * <pre>mvn -B -Pbenchmark test -Dtest=FailoverBenchmark</pre>
 */
@Tag("benchmark")
class FailoverBenchmark {

    private static final int TMS = Integer.getInteger("benchmark.failover.tms", 200);
    private static final Duration CRON = Duration.ofSeconds(5);

    @TempDir
    Path workDir;
    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();
    @RegisterExtension
    final PostgresSchema database = new PostgresSchema();

    private final Map<String, MonitorProcess> nodes = new LinkedHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (MonitorProcess node : nodes.values()) {
            signal(node, "CONT");
            node.close();
        }
    }

    private MonitorProcess start(String name) throws Exception {
        Map<String, String> env = MonitorProcess.env(bed.phrase().baseUrl(), bed.slack().webhookUrl(),
                workDir.resolve("data-" + name), IntStream.range(0, TMS).mapToObj(i -> "tm" + i)
                        .collect(Collectors.joining(",")));
        env.putAll(database.clusterEnvironment(name));
        env.remove("CLUSTER_CHECKIN_INTERVAL"); // the shipped 5 s
        env.put("MONITOR_CRON", "0/5 * * * * ?");
        env.put("ALERT_CHANNELS", "slack,email");
        env.put("ALERT_EMAIL_TO", "l10n-ops@example.com");
        env.put("ALERT_EMAIL_FROM", "phrase-tm-monitor@example.com");
        env.put("ALERT_EMAIL_SMTP_HOST", "127.0.0.1");
        env.put("ALERT_EMAIL_SMTP_PORT", Integer.toString(bed.smtp().getSmtp().getPort()));
        env.put("ALERT_EMAIL_STARTTLS", "false");
        MonitorProcess node = MonitorProcess.start(workDir, env);
        nodes.put(name, node);
        return node;
    }

    private Optional<String> roundNode() throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT coalesce(running_node, last_round_node) FROM cluster_rounds")) {
            return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
        }
    }

    /** Waits until {@code rounds} more rounds have checked every TM, whichever nodes ran them. */
    private void awaitRounds(int rounds) {
        int before = polls().size();
        await().atMost(Duration.ofMinutes(2)).until(() -> polls().size() >= before + (long) TMS * rounds);
    }

    private long liveClaims() throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM delivery_claims WHERE expires_at > now()")) {
            row.next();
            return row.getLong(1);
        }
    }

    private List<Instant> polls() {
        return bed.phrase().arrivals(".*/lastBackgroundTask");
    }

    private static void signal(MonitorProcess node, String signal) throws Exception {
        if (node.isAlive()) {
            new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid())).inheritIO().start().waitFor();
        }
    }

    private long slackAlerts(String task) {
        return bed.slack().posts().stream().filter(post -> post.contains(task)).count();
    }

    private long emails(String task) {
        return Arrays.stream(bed.smtp().getReceivedMessages()).filter(mail -> GreenMailUtil.getBody(mail)
                .contains(task)).count();
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void threeKillsAndAFreezeOfThreeNodes() throws Exception {
        for (int i = 0; i < TMS; i++) {
            bed.phrase().translationMemory("tm" + i, "TM " + i).lastTask("tm" + i, ok("ok-" + i));
        }
        MonitorProcess.prepareWorkDir(workDir);
        for (String name : List.of("node-1", "node-2", "node-3")) {
            start(name);
        }
        await().atMost(Duration.ofMinutes(3)).until(() -> polls().size() >= TMS * 2);

        // failures throughout: a new failed task on another TM every 3 seconds
        AtomicInteger next = new AtomicInteger();
        ScheduledExecutorService failing = Executors.newSingleThreadScheduledExecutor();
        failing.scheduleAtFixedRate(() -> {
            int n = next.getAndIncrement();
            String task = String.format("fail-%03d", n); // no id is a prefix of another
            bed.phrase().lastTask("tm" + ((n * 7) % TMS), failed(task, "Import failed " + n));
            failures.add(task);
        }, 0, 3, TimeUnit.SECONDS);

        List<String> report = new ArrayList<>();
        List<Instant[]> failovers = new ArrayList<>();
        for (int kill = 1; kill <= 3; kill++) {
            awaitRounds(2); // rounds with every node alive between the kills
            String victim = roundNode().orElseThrow();
            nodes.get(victim).kill();
            Instant killed = Instant.now();
            await().atMost(Duration.ofMinutes(1)).until(() -> polls().stream().anyMatch(at -> at.isAfter(killed)));
            Instant next1 = polls().stream().filter(at -> at.isAfter(killed)).findFirst().orElseThrow();
            failovers.add(new Instant[] {killed, next1});
            report.add(String.format("kill -9 #%d of %s (the round node): next round %d ms later", kill, victim,
                    Duration.between(killed, next1).toMillis()));
            System.out.println(report.get(report.size() - 1));
            start(victim);
        }
        awaitRounds(2);
        String frozen = roundNode().orElseThrow();
        signal(nodes.get(frozen), "STOP");
        Instant stopped = Instant.now();
        // past the frozen node's round lease (three check-ins): the others take the rounds over and run three
        await().atMost(Duration.ofMinutes(2)).until(() -> polls().stream().filter(at -> at.isAfter(stopped)).count()
                >= TMS * 3L);
        signal(nodes.get(frozen), "CONT");
        Instant resumed = Instant.now();
        List<Instant> duringFreeze = polls().stream().filter(at -> at.isAfter(stopped) && at.isBefore(resumed))
                .toList();
        report.add(String.format("SIGSTOP of %s for %d s: %d TM checks by the other nodes meanwhile", frozen,
                Duration.between(stopped, resumed).toSeconds(), duringFreeze.size()));
        awaitRounds(3);
        failing.shutdownNow();
        List<String> all = List.copyOf(failures);

        // a notice in flight at a kill is sent again once its claim lapses (cluster.claim-lease, 60 s)
        await().atMost(Duration.ofMinutes(3)).until(() -> all.stream().allMatch(task -> slackAlerts(task) > 0
                && emails(task) > 0));
        // every claim left by a killed node has lapsed, and two more rounds gave the others the chance to send again
        await().atMost(Duration.ofMinutes(3)).until(() -> liveClaims() == 0);
        awaitRounds(2);

        long slackRepeats = all.stream().mapToLong(task -> slackAlerts(task) - 1).sum();
        long emailRepeats = all.stream().mapToLong(task -> emails(task) - 1).sum();
        List<String> others = bed.slack().posts().stream().filter(post -> all.stream().noneMatch(post::contains))
                .toList();
        // TMs polled twice in one tick: per TM, two checks in the same 5-second cron period
        Map<String, List<Instant>> perTm = new TreeMap<>();
        for (int i = 0; i < TMS; i++) {
            perTm.put("tm" + i, bed.phrase().arrivals(".*/transMemories/tm" + i + "/lastBackgroundTask"));
        }
        int twice = 0;
        int twiceOutsideFailover = 0;
        for (List<Instant> checks : perTm.values()) {
            Map<Long, Integer> byTick = new TreeMap<>();
            checks.forEach(at -> byTick.merge(at.toEpochMilli() / CRON.toMillis(), 1, Integer::sum));
            for (Map.Entry<Long, Integer> tick : byTick.entrySet()) {
                if (tick.getValue() > 1) {
                    twice++;
                    Instant at = Instant.ofEpochMilli(tick.getKey() * CRON.toMillis());
                    boolean inFailover = failovers.stream().anyMatch(window -> !at.isBefore(
                            window[0].minus(CRON)) && !at.isAfter(window[1].plus(CRON)))
                            || (!at.isBefore(stopped.minus(CRON)) && !at.isAfter(resumed.plus(CRON)));
                    twiceOutsideFailover += inFailover ? 0 : 1;
                }
            }
        }
        report.add(String.format("%d failures appeared; every one alerted on Slack and by email: %s", all.size(),
                all.stream().allMatch(task -> slackAlerts(task) > 0 && emails(task) > 0)));
        report.add(String.format("repeats: Slack %d, email %d (3 kills)", slackRepeats, emailRepeats));
        report.add(String.format("TM checks in the same tick: %d, outside a failover window: %d (of %d checks)",
                twice, twiceOutsideFailover, polls().size()));
        report.add(String.format("other Slack posts (problem, stale): %d %s", others.size(),
                others.stream().map(post -> post.substring(0, Math.min(120, post.length()))).toList()));
        System.out.println("===== FailoverBenchmark, " + TMS + " TMs, cron 5 s, 3 nodes =====");
        report.forEach(System.out::println);
    }
}
