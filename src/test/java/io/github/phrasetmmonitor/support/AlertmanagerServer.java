package io.github.phrasetmmonitor.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus Alertmanager (the Debian package prometheus-alertmanager) on loopback, as a hub runs it, for the
 * tests of the example channel {@code alertmanager}: an instance of its own, a child process with its configuration
 * and storage in a temporary directory, its API on a free port of 127.0.0.1 and no cluster gossip. Its alerts go to a
 * receiver that sends nowhere, or to a webhook of the test's ({@link #startNotifying}); the tests read what
 * Alertmanager holds through its API ({@link #activeAlerts}).
 *
 * <p>Without {@code /usr/bin/prometheus-alertmanager} the test is skipped, saying so in one line; in CI
 * ({@code CI=true}, as {@code .ci/run} sets it, which installs the package) it fails instead, as
 * {@link PostfixServer} does.
 */
public final class AlertmanagerServer implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(15);
    private static final Duration CALL_LIMIT = Duration.ofSeconds(10);
    private static final String SENDS_NOWHERE = String.join("\n",
            "route:",
            "  receiver: nowhere",
            "receivers:",
            "  - name: nowhere",
            "");

    /** An alert as Alertmanager holds it (GET /api/v2/alerts). */
    public record Alert(Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt,
                        Instant updatedAt, String state) {

        public String label(String name) {
            return labels.get(name);
        }
    }

    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CALL_LIMIT).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Thread stopAtExit;
    private volatile Process process;

    private AlertmanagerServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        this.stopAtExit = new Thread(this::stopQuietly, "alertmanager-stop");
    }

    /** Skips the test (or fails it in CI) when Alertmanager is not installed. */
    public static void assumeInstalled() {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        String why = "Alertmanager is not installed (" + BINARY + "; apt-get install prometheus-alertmanager)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(why + ": CI needs it (.ci/run installs it)");
        }
        System.err.println("Skipping an Alertmanager test: " + why);
        Assumptions.abort(why);
    }

    /** Starts an instance whose alerts go nowhere, and returns once it answers ready. */
    public static AlertmanagerServer start() throws Exception {
        return start(SENDS_NOWHERE);
    }

    /**
     * As {@link #start()}, but Alertmanager notifies {@code webhookUrl} as a hub's receiver would be: each incident
     * (label incident) a group of its own, sent at once when it fires and when it is resolved.
     */
    public static AlertmanagerServer startNotifying(String webhookUrl) throws Exception {
        return start(String.join("\n",
                "route:",
                "  receiver: hub",
                "  group_by: [incident]",
                "  group_wait: 100ms",
                "  group_interval: 1s",
                "  repeat_interval: 1h",
                "receivers:",
                "  - name: hub",
                "    webhook_configs:",
                "      - url: '" + webhookUrl + "'",
                "        send_resolved: true",
                ""));
    }

    private static AlertmanagerServer start(String configuration) throws Exception {
        assumeInstalled();
        Path dir = Files.createTempDirectory("alertmanager-");
        AlertmanagerServer server = new AlertmanagerServer(dir, FreePort.pick());
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, configuration);
        Files.createDirectories(dir.resolve("data"));
        Runtime.getRuntime().addShutdownHook(server.stopAtExit);
        try {
            server.process = new ProcessBuilder(BINARY.toString(),
                    "--config.file=" + config,
                    "--storage.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + server.port,
                    // empty: no gossip, so no second port and no peers to wait for
                    "--cluster.listen-address=")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
            server.awaitReady();
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The base URL, as alert.alertmanager.url takes it. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The alerts Alertmanager holds as firing now (neither resolved, silenced nor inhibited). */
    public List<Alert> activeAlerts() throws IOException, InterruptedException {
        HttpResponse<String> answer = get("/api/v2/alerts?active=true&silenced=false&inhibited=false&unprocessed=true");
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET /api/v2/alerts answered " + answer.statusCode() + ": " + answer.body());
        }
        List<Alert> alerts = new ArrayList<>();
        for (JsonNode alert : json.readTree(answer.body())) {
            alerts.add(new Alert(strings(alert.path("labels")), strings(alert.path("annotations")),
                    instant(alert, "startsAt"), instant(alert, "endsAt"), instant(alert, "updatedAt"),
                    alert.path("status").path("state").asText()));
        }
        return alerts;
    }

    /** The active alert whose label incident is {@code key}, or null. */
    public Alert activeAlert(String incidentKey) throws IOException, InterruptedException {
        return activeAlerts().stream().filter(alert -> incidentKey.equals(alert.label("incident"))).findFirst()
                .orElse(null);
    }

    /** Alertmanager's own log of this instance: what it loaded, and why it refused what it refused. */
    public String log() {
        try {
            Path log = dir.resolve("alertmanager.log");
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue().asText()));
        return values;
    }

    private static Instant instant(JsonNode alert, String field) {
        JsonNode value = alert.get(field);
        return value == null || value.isNull() ? null : Instant.parse(value.asText());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(CALL_LIMIT).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private void awaitReady() {
        Awaitility.await("Alertmanager ready on " + url()).atMost(START_LIMIT).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Alertmanager exited (" + process.exitValue() + "): " + log());
                    }
                    return ready();
                });
    }

    private boolean ready() {
        try {
            return get("/-/ready").statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void stopQuietly() {
        Process running = process;
        if (running == null) {
            return;
        }
        try {
            running.destroy();
            if (!running.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                running.destroyForcibly().waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: the hook runs or ran
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a process that was slow to go may still write: a temporary directory is left behind
        }
    }
}
