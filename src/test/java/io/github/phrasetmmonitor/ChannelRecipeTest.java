package io.github.phrasetmmonitor;

import static io.github.phrasetmmonitor.support.PhraseDocuments.failed;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorProcess;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.PostgresSchema;
import io.github.phrasetmmonitor.support.StateFile;
import io.github.phrasetmmonitor.support.RunningMonitor;
import io.github.phrasetmmonitor.support.SlackRecorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, item 4: a channel made of YAML and a template only, in a deployment directory of its own, exactly as the
 * recipe in docs/channels.md writes it (the files are read from the document, so the recipe cannot drift from what
 * works). It gets an alert once, a retry after a 503, a digest in a storm and its resolved notice, nothing twice
 * across a restart, a kill -9 only repeats the post that was in flight, and two nodes of a cluster send each notice
 * once: the promises of the pipeline, with no Java of its own.
 */
class ChannelRecipeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** "File `path`:" then a fenced block, as the recipe lays out each file. */
    private static final Pattern RECIPE_FILE = Pattern.compile(
            "File `([^`]+)`:\\n\\n( *)```yaml\\n(.*?)\\n *```", Pattern.DOTALL);
    private static final String SECRET_PATH = "/hooks/T0K3N-recipe";

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();
    @RegisterExtension
    final PostgresSchema database = new PostgresSchema();

    @TempDir
    Path deployment;

    private SlackRecorder webhook;

    @BeforeEach
    void deployment() throws Exception {
        copy(Path.of("routes"), deployment.resolve("routes"));
        copy(Path.of("templates"), deployment.resolve("templates"));
        Map<String, String> recipe = recipeFiles();
        assertThat(recipe).as("the recipe's files").containsOnlyKeys("routes/channel-webhook.camel.yaml",
                "templates/webhook-alert.yaml");
        for (Map.Entry<String, String> file : recipe.entrySet()) {
            Files.writeString(deployment.resolve(file.getKey()), file.getValue());
        }
        webhook = new SlackRecorder(SECRET_PATH);
        bed.phrase().loginIssues("token-1");
    }

    @AfterEach
    void stopWebhook() {
        webhook.close();
    }

    @Test
    void theRecipesChannelIsAlertedOnceAfterA503ThenResolvedAndNothingIsSentAgainAfterARestart() throws Exception {
        bed.phrase().translationMemory("tm1", "Legal EN-DE").lastTask("tm1", failed("task-1", "TMX is broken"));
        webhook.answerNext(new SlackRecorder.Answer(503, null));
        Map<String, String> settings = settings("tm1");

        try (LogCapture logs = LogCapture.attach(); RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> webhook.posts().size() == 1);
            assertThat(webhook.attempts()).as("the 503, then the retry the route's rules allow").isEqualTo(2);
            assertThat(logs.linesContaining("not delivered")).as("retried within the round, a new post").isEmpty();
            JsonNode alert = JSON.readTree(webhook.posts().get(0));
            assertThat(alert.get("event").asText()).isEqualTo("alert");
            assertThat(alert.get("count").asInt()).isEqualTo(1);
            assertThat(alert.at("/incidents/0/key").asText()).isEqualTo("task:tm1/task-1");
            assertThat(alert.at("/incidents/0/tm").asText()).isEqualTo("Legal EN-DE");
            assertThat(alert.at("/incidents/0/error").asText()).contains("TMX is broken");
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
            assertThat(webhook.posts()).as("sent once").hasSize(1);
            assertThat(logs.linesContaining("Webhook alert for TM tm1 task task-1 sent")).hasSize(1);
            assertThat(logs.all()).as("the webhook's URL is a secret").doesNotContain("T0K3N");
            assertThat(monitor.context().getEndpointRegistry().values()).noneMatch(endpoint ->
                    endpoint.getEndpointUri().contains("T0K3N"));

            bed.phrase().lastTask("tm1", ok("task-2"));
            await().atMost(Duration.ofSeconds(20)).until(() -> webhook.posts().size() == 2);
            JsonNode resolved = JSON.readTree(webhook.posts().get(1));
            assertThat(resolved.get("event").asText()).isEqualTo("resolved");
            assertThat(resolved.at("/incidents/0/key").asText()).isEqualTo("task:tm1/task-1");
        }

        bed.phrase().lastTask("tm1", failed("task-3", "Another broken TMX"));
        try (RunningMonitor restarted = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> webhook.posts().size() == 3);
            assertThat(restarted.awaitRounds(3, 30)).isTrue();
        }
        assertThat(webhook.posts()).as("after the restart only the new failure, once").hasSize(3);
        assertThat(JSON.readTree(webhook.posts().get(2)).at("/incidents/0/key").asText()).isEqualTo("task:tm1/task-3");
    }

    @Test
    void aStormIsOneDigestListingEveryFailure() throws Exception {
        List<String> uids = IntStream.rangeClosed(1, 6).mapToObj(i -> "tmStorm" + i).toList();
        for (String uid : uids) {
            bed.phrase().translationMemory(uid, "Storm " + uid).lastTask(uid, failed("task-" + uid, "broken"));
        }
        Map<String, String> settings = settings(String.join(",", uids));
        settings.put("alert.digest-threshold", "3");
        // one round finds the storm: with the 1 s cron, a round slowed by a loaded machine leaves checks to the next
        // round, whose finds are a message of their own
        settings.put("monitor.cron", "0/5 * * * * ?");

        try (RunningMonitor monitor = RunningMonitor.start(settings)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> webhook.posts().size() == 1);
            assertThat(monitor.awaitRounds(2, 30)).isTrue();
        }
        assertThat(webhook.posts()).as("one message for the storm").hasSize(1);
        JsonNode digest = JSON.readTree(webhook.posts().get(0));
        assertThat(digest.get("event").asText()).isEqualTo("digest");
        assertThat(digest.get("count").asInt()).isEqualTo(6);
        assertThat(digest.get("incidents").findValuesAsText("key")).containsExactlyInAnyOrderElementsOf(
                uids.stream().map(uid -> "task:" + uid + "/task-" + uid).toList());
    }

    /**
     * kill -9 while the channel's post is in flight (sent, not yet answered, so not recorded): after the restart it is
     * sent again, once, and a failure found meanwhile is sent once; nothing is lost.
     */
    @Test
    void aKillWhileAPostIsInFlightLosesNothingAndRepeatsOnlyThatPost() throws Exception {
        Path workDir = processDeployment();
        bed.phrase().translationMemory("tmA", "Glossary").lastTask("tmA", failed("task-1a", "TMX broken"))
                .translationMemory("tmB", "Support").lastTask("tmB", ok("task-0b"));
        Map<String, String> env = processEnvironment(workDir, "tmA,tmB");

        try (MonitorProcess first = MonitorProcess.start(workDir, env)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> journalHas(workDir, "webhook:tmA:task-1a"));
            webhook.holdAnswers();
            bed.phrase().lastTask("tmB", failed("task-1b", "Import failed"));
            await().atMost(Duration.ofSeconds(60)).until(() -> posted("task-1b") == 1);
            first.kill();
            webhook.release();
        }
        assertThat(journalHas(workDir, "webhook:tmB:task-1b")).as("a post in flight is not recorded").isFalse();

        bed.phrase().lastTask("tmA", failed("task-2a", "TMX broken again"));
        try (MonitorProcess second = MonitorProcess.start(workDir, env)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> journalHas(workDir, "webhook:tmB:task-1b",
                    "webhook:tmA:task-2a"));
            assertThat(second.isAlive()).isTrue();
        }
        assertThat(posted("task-1a")).isEqualTo(1);
        assertThat(posted("task-1b")).as("the post in flight at the kill, sent again").isEqualTo(2);
        assertThat(posted("task-2a")).isEqualTo(1);
    }

    /** Two nodes of a cluster on one PostgreSQL schema, each in its own JVM: each notice once for the cluster. */
    @Test
    void twoNodesOfAClusterSendEachNoticeOnce() throws Exception {
        Path workDir = processDeployment();
        List<String> uids = IntStream.range(0, 4).mapToObj(i -> "tm" + i).toList();
        for (String uid : uids) {
            bed.phrase().translationMemory(uid, "TM " + uid).lastTask(uid, ok("ok-" + uid));
        }
        try (MonitorProcess a = MonitorProcess.start(workDir, clusterNode(workDir, "node-a", uids));
             MonitorProcess b = MonitorProcess.start(workDir, clusterNode(workDir, "node-b", uids))) {
            try {
                // both nodes up and polling before the failures appear
                await().atMost(Duration.ofSeconds(90)).until(() ->
                        bed.phrase().arrivals(".*/transMemories/tm0/lastBackgroundTask").size() >= 2);
                for (String uid : uids) {
                    bed.phrase().lastTask(uid, failed("task-" + uid, "broken"));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> uids.stream()
                        .allMatch(uid -> posted("task-" + uid) >= 1));
                int polls = bed.phrase().arrivals(".*/transMemories/tm0/lastBackgroundTask").size();
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        bed.phrase().arrivals(".*/transMemories/tm0/lastBackgroundTask").size() >= polls + 3);
                assertThat(a.isAlive() && b.isAlive()).isTrue();
            } finally {
                // each node's own log, for a failure's cause (the work directory goes with the test)
                for (MonitorProcess node : List.of(a, b)) {
                    List<String> lines = node.lines();
                    System.out.println("===== a node's last 80 lines =====");
                    lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(System.out::println);
                }
            }
        }
        for (String uid : uids) {
            assertThat(posted("task-" + uid)).as(uid + ": once for the cluster").isEqualTo(1);
        }
    }

    private Map<String, String> clusterNode(Path workDir, String node, List<String> uids) {
        Map<String, String> env = processEnvironment(workDir, String.join(",", uids));
        env.put("MONITOR_STATE_DIR", workDir.resolve("data-" + node).toString());
        env.put("MONITOR_MANAGEMENT_PORT", Integer.toString(io.github.phrasetmmonitor.support.FreePort.pick()));
        env.putAll(database.clusterEnvironment(node));
        env.put("MONITOR_STALE_AFTER", "60s");
        return env;
    }

    /** A deployment directory for a monitor in a JVM of its own, holding the recipe's files. */
    private Path processDeployment() throws IOException {
        Path workDir = MonitorProcess.prepareWorkDir(deployment.resolve("process"));
        for (Map.Entry<String, String> file : recipeFiles().entrySet()) {
            Files.writeString(workDir.resolve(file.getKey()), file.getValue());
        }
        return workDir;
    }

    private Map<String, String> processEnvironment(Path workDir, String tmUids) {
        Map<String, String> env = MonitorProcess.env(bed.phrase().baseUrl(), bed.slack().webhookUrl(),
                workDir.resolve("data"), tmUids);
        env.put("ALERT_CHANNELS", "webhook");
        env.put("ALERT_WEBHOOK_URL", webhook.webhookUrl());
        return env;
    }

    private long posted(String taskId) {
        return webhook.attemptBodies().stream().filter(body -> body.contains("\"task:") && body.contains("/" + taskId
                + "\"")).count();
    }

    private static boolean journalHas(Path workDir, String... keys) {
        try {
            return StateFile.deliveredAlerts(workDir.resolve("data")).containsAll(List.of(keys));
        } catch (IOException notYet) {
            return false;
        }
    }

    private Map<String, String> settings(String tmUids) {
        Map<String, String> settings = bed.settingsWatching(tmUids);
        settings.put("camel.main.routes-include-pattern", "file:" + deployment.resolve("routes") + "/*.camel.yaml");
        settings.put("alert.templates-dir", deployment.resolve("templates").toString());
        settings.put("alert.channels", "webhook");
        settings.put("alert.webhook.url", webhook.webhookUrl());
        return settings;
    }

    /** The files of the recipe in docs/channels.md, by path, their text as a user would copy it. */
    static Map<String, String> recipeFiles() throws IOException {
        String doc = Files.readString(Path.of("docs/channels.md"));
        Map<String, String> files = new LinkedHashMap<>();
        Matcher file = RECIPE_FILE.matcher(doc);
        while (file.find()) {
            String indent = file.group(2);
            StringBuilder text = new StringBuilder();
            for (String line : file.group(3).split("\n", -1)) {
                text.append(line.startsWith(indent) ? line.substring(indent.length()) : line.strip()).append('\n');
            }
            files.put(file.group(1), text.toString());
        }
        return files;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
