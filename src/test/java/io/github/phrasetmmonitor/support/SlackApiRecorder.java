package io.github.phrasetmmonitor.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Slack's Web API, the two methods Slack app mode calls: {@code chat.postMessage} and
 * {@code chat.update} under {@code /api/}, answered as Slack documents them: HTTP 200 with {@code "ok": true}, the
 * channel id and the message's {@code ts}; or, scripted for the next calls, {@code "ok": false} with an error code,
 * or HTTP 429 with {@code Retry-After}. Every call is recorded with its method, its Authorization header and its JSON
 * body, as received (Slack's snake_case names).
 */
public final class SlackApiRecorder implements AutoCloseable {

    /** One call as Slack received it; {@code ok}: Slack took it. */
    public record Call(String method, String authorization, JsonNode body, boolean ok) {

        /** The body's field, or null. */
        public String field(String name) {
            JsonNode value = body.get(name);
            return value == null || value.isNull() ? null : value.asText();
        }
    }

    /** A scripted answer: {@code status} (200 or 429), and for 200 the error of an {@code "ok": false}. */
    public record Answer(int status, String error, String retryAfter) {

        public static Answer refused(String error) {
            return new Answer(200, error, null);
        }

        public static Answer tooMany(String retryAfter) {
            return new Answer(429, null, retryAfter);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final AtomicInteger messages = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpServer server;

    public SlackApiRecorder() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    private void handle(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            String method = exchange.getRequestURI().getPath().substring("/api/".length());
            JsonNode body = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Answer scripted = script.poll();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            ObjectNode answer = JSON.createObjectNode();
            int status = 200;
            if (scripted != null && scripted.status() == 429) {
                status = 429;
                exchange.getResponseHeaders().add("Retry-After", scripted.retryAfter());
                answer.put("ok", false).put("error", "ratelimited");
            } else if (scripted != null && scripted.error() != null) {
                answer.put("ok", false).put("error", scripted.error());
            } else if (!"chat.postMessage".equals(method) && !"chat.update".equals(method)) {
                answer.put("ok", false).put("error", "unknown_method");
            } else {
                String channel = body.path("channel").asText();
                String ts = "chat.update".equals(method) ? body.path("ts").asText()
                        : "1700000000." + String.format("%06d", messages.incrementAndGet());
                answer.put("ok", true).put("channel", channel).put("ts", ts);
            }
            calls.add(new Call(method, authorization, body, answer.path("ok").asBoolean()));
            byte[] reply = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, reply.length);
            exchange.getResponseBody().write(reply);
        } catch (IOException clientGone) {
            // the monitor gave up waiting, or was stopped
        } finally {
            exchange.close();
        }
    }

    /** Slack's Web API root, for {@code alert.slack.api-url}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    /** The next calls get these answers, in order; later ones succeed. */
    public void answerNext(Answer... answers) {
        script.addAll(List.of(answers));
    }

    /** Every call, in arrival order, taken or not. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls of one method Slack took, in arrival order. */
    public List<Call> taken(String method) {
        return calls.stream().filter(call -> call.ok() && call.method().equals(method)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
