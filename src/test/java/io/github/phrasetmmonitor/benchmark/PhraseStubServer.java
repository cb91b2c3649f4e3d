package io.github.phrasetmmonitor.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.phrasetmmonitor.support.PhraseDocuments;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Phrase-shaped API for the benchmark, run in a JVM of its own so its CPU and memory are nobody's result.
 *
 * <ul>
 * <li>{@code GET /web/api2/v1/transMemories?pageNumber=&pageSize=}: the account's N TMs in pages, with
 * {@code totalPages}, as Phrase lists them.</li>
 * <li>{@code GET /web/api2/v1/transMemories/{uid}/lastBackgroundTask}: a BackgroundTasksTmDto per TM. Of every 100
 * TMs: 1 failed, 1 still running, 1 never ran a task (204), 2 finished with warnings, 95 finished OK.</li>
 * <li>{@code GET /web/api2/v1/transMemories/{uid}}: the TM's details (discovery mode does not need them).</li>
 * <li>{@code POST /slack/hook}: an alert sink that accepts every post at once.</li>
 * <li>{@code /__bench/reset?tms=N}, {@code /__bench/stats}, {@code /__bench/stop}: control, for the driver.</li>
 * </ul>
 *
 * Every API answer leaves after a fixed latency. No thread waits for it: the answer is scheduled on a
 * {@link ScheduledExecutorService} and the handler returns, so 8 or 80 requests in flight cost the same threads.
 * Calls without {@code Authorization: ApiToken bench-token} are answered 401.
 *
 * <p>Usage: {@code PhraseStubServer <latency-ms>}; prints {@code STUB-READY <port>} once it listens.
 */
public final class PhraseStubServer {

    static final String TOKEN = "bench-token";
    static final String READY = "STUB-READY ";
    private static final String TMS = "/web/api2/v1/transMemories";
    private static final String LAST_TASK = "/lastBackgroundTask";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService answers = Executors.newScheduledThreadPool(2);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final long latencyMillis;
    private volatile int tms;
    private volatile Stats stats = new Stats();
    /** Alerts since the subject started: deliveries run on their own threads and may land in a later round. */
    private final AtomicLong subjectAlerts = new AtomicLong();

    private PhraseStubServer(long latencyMillis) throws IOException {
        this.latencyMillis = latencyMillis;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/web/", this::phrase);
        server.createContext("/slack/", this::slack);
        server.createContext("/__bench/", this::control);
        server.setExecutor(handlers);
        server.start();
    }

    public static void main(String[] args) throws Exception {
        PhraseStubServer stub = new PhraseStubServer(Long.parseLong(args[0]));
        System.out.println(READY + stub.server.getAddress().getPort());
        System.out.flush();
        stub.stopped.await();
        stub.server.stop(0);
        stub.answers.shutdownNow();
        stub.handlers.shutdownNow();
    }

    /** How many of the first {@code tms} TMs have a failed last task: every 100th, counting from index 7. */
    static int failedTms(int tms) {
        return (tms + 92) / 100;
    }

    static String uid(int index) {
        return String.format("bench%017d", index);
    }

    /** What the stub counts; replaced as a whole by a reset. Times are System.nanoTime() values. */
    private static final class Stats {
        final AtomicLong listRequests = new AtomicLong();
        final AtomicLong pollRequests = new AtomicLong();
        final AtomicLong detailRequests = new AtomicLong();
        final AtomicLong otherRequests = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong alerts = new AtomicLong();
        final AtomicLong inFlight = new AtomicLong();
        final AtomicLong maxInFlight = new AtomicLong();
        final AtomicLong firstListArrival = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong lastListAnswer = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong firstPollArrival = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong lastPollAnswer = new AtomicLong(Long.MIN_VALUE);
    }

    private enum Kind { LIST, POLL, DETAILS, OTHER }

    private void phrase(HttpExchange exchange) throws IOException {
        long arrival = System.nanoTime();
        Stats counting = stats;
        drain(exchange);
        counting.maxInFlight.accumulateAndGet(counting.inFlight.incrementAndGet(), Math::max);
        String path = exchange.getRequestURI().getPath();
        Kind kind;
        int status;
        String body;
        if (!("ApiToken " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            counting.refused.incrementAndGet();
            kind = Kind.OTHER;
            status = 401;
            body = "{\"errorCode\":\"AuthUnauthorized\",\"errorDescription\":\"Unauthorized\"}";
        } else if (path.equals(TMS)) {
            kind = Kind.LIST;
            status = 200;
            body = page(query(exchange.getRequestURI().getRawQuery()));
        } else if (path.startsWith(TMS + "/") && path.endsWith(LAST_TASK)) {
            kind = Kind.POLL;
            int index = index(path.substring(TMS.length() + 1, path.length() - LAST_TASK.length()));
            status = index < 0 ? 404 : index % 100 == 29 ? 204 : 200;
            body = index < 0 ? "{\"errorCode\":\"ResourceNotFound\"}" : index % 100 == 29 ? null : lastTask(index);
        } else if (path.startsWith(TMS + "/") && path.indexOf('/', TMS.length() + 1) < 0) {
            kind = Kind.DETAILS;
            int index = index(path.substring(TMS.length() + 1));
            status = index < 0 ? 404 : 200;
            body = index < 0 ? "{\"errorCode\":\"ResourceNotFound\"}" : tm(index);
        } else {
            kind = Kind.OTHER;
            status = 404;
            body = "{\"errorCode\":\"NotFound\"}";
        }
        switch (kind) {
            case LIST -> {
                counting.listRequests.incrementAndGet();
                counting.firstListArrival.accumulateAndGet(arrival, Math::min);
            }
            case POLL -> {
                counting.pollRequests.incrementAndGet();
                counting.firstPollArrival.accumulateAndGet(arrival, Math::min);
            }
            case DETAILS -> counting.detailRequests.incrementAndGet();
            default -> counting.otherRequests.incrementAndGet();
        }
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        answers.schedule(() -> answer(exchange, counting, kind, status, bytes), latencyMillis, TimeUnit.MILLISECONDS);
    }

    private static void answer(HttpExchange exchange, Stats counting, Kind kind, int status, byte[] body) {
        // counted as answered before the first byte leaves: once the client has the answer it may send its next
        // request at once, and that one must not find this one still counted in flight
        counting.inFlight.decrementAndGet();
        long now = System.nanoTime();
        if (kind == Kind.LIST) {
            counting.lastListAnswer.accumulateAndGet(now, Math::max);
        } else if (kind == Kind.POLL) {
            counting.lastPollAnswer.accumulateAndGet(now, Math::max);
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body == null ? -1 : body.length);
            if (body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException clientGone) {
            // the subject gave up on this call; nothing to do
        } finally {
            exchange.close();
        }
    }

    private String page(Map<String, String> query) {
        int pageNumber = Integer.parseInt(query.getOrDefault("pageNumber", "0"));
        int pageSize = Integer.parseInt(query.getOrDefault("pageSize", "50"));
        int count = tms;
        int totalPages = (count + pageSize - 1) / pageSize;
        int from = Math.min(count, pageNumber * pageSize);
        int to = Math.min(count, from + pageSize);
        StringBuilder json = new StringBuilder(160 * pageSize).append("{\"totalElements\":").append(count)
                .append(",\"totalPages\":").append(totalPages).append(",\"pageSize\":").append(pageSize)
                .append(",\"pageNumber\":").append(pageNumber).append(",\"numberOfElements\":").append(to - from)
                .append(",\"content\":[");
        for (int i = from; i < to; i++) {
            json.append(i == from ? "" : ",").append(tm(i));
        }
        return json.append("]}").toString();
    }

    private static String tm(int index) {
        return "{\"id\":\"" + (100000 + index) + "\",\"uid\":\"" + uid(index) + "\",\"name\":\"Benchmark TM " + index
                + "\",\"sourceLang\":\"en\",\"targetLangs\":[\"de\",\"fr\"],"
                + "\"dateCreated\":\"2023-11-07T05:31:56+0000\"}";
    }

    private static String lastTask(int index) {
        String taskId = "task-" + index;
        return switch (index % 100) {
            case 7 -> PhraseDocuments.failed(taskId, "TMX line " + index + ": unexpected element");
            case 13 -> PhraseDocuments.running(taskId);
            case 3, 53 -> PhraseDocuments.withWarnings(taskId);
            default -> PhraseDocuments.ok(taskId);
        };
    }

    private int index(String uid) {
        if (uid.length() != 22 || !uid.startsWith("bench")) {
            return -1;
        }
        try {
            int index = Integer.parseInt(uid.substring(5));
            return index < tms ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void slack(HttpExchange exchange) throws IOException {
        drain(exchange);
        if ("POST".equals(exchange.getRequestMethod())) {
            stats.alerts.incrementAndGet();
            subjectAlerts.incrementAndGet();
        }
        reply(exchange, 200, "ok");
    }

    private void control(HttpExchange exchange) throws IOException {
        drain(exchange);
        String path = exchange.getRequestURI().getPath();
        switch (path) {
            case "/__bench/reset" -> {
                Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                tms = Integer.parseInt(query.getOrDefault("tms", "0"));
                if (query.containsKey("subject")) {
                    subjectAlerts.set(0);
                }
                stats = new Stats();
                reply(exchange, 200, "ok");
            }
            case "/__bench/stats" -> reply(exchange, 200, JSON.writeValueAsString(snapshot(stats)));
            case "/__bench/stop" -> {
                reply(exchange, 200, "stopping");
                stopped.countDown();
            }
            default -> reply(exchange, 404, "unknown");
        }
    }

    private Map<String, Object> snapshot(Stats s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tms", tms);
        out.put("latencyMillis", latencyMillis);
        out.put("listRequests", s.listRequests.get());
        out.put("pollRequests", s.pollRequests.get());
        out.put("detailRequests", s.detailRequests.get());
        out.put("otherRequests", s.otherRequests.get());
        out.put("refused", s.refused.get());
        out.put("alerts", s.alerts.get());
        out.put("subjectAlerts", subjectAlerts.get());
        out.put("maxInFlight", s.maxInFlight.get());
        out.put("listPhaseMillis", span(s.firstListArrival.get(), s.lastListAnswer.get()));
        out.put("pollPhaseMillis", span(s.firstPollArrival.get(), s.lastPollAnswer.get()));
        out.put("apiSpanMillis", span(Math.min(s.firstListArrival.get(), s.firstPollArrival.get()),
                Math.max(s.lastListAnswer.get(), s.lastPollAnswer.get())));
        return out;
    }

    private static long span(long from, long to) {
        return from == Long.MAX_VALUE || to == Long.MIN_VALUE ? -1 : (to - from) / 1_000_000;
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return query;
    }

    private static void drain(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        exchange.close();
    }
}
