package io.github.phrasetmmonitor.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for a Slack incoming webhook: records every POST and answers with a status tests can set, or with
 * a script of answers for the next posts (e.g. one 429 with {@code Retry-After}, then the usual status).
 */
public final class SlackRecorder implements AutoCloseable {

    /** One scripted answer; {@code retryAfter} null for none. */
    public record Answer(int status, String retryAfter) {
    }

    private final HttpServer server;
    private final List<String> posts = new CopyOnWriteArrayList<>();
    private final List<Instant> attemptTimes = new CopyOnWriteArrayList<>();
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile int status = 200;

    public SlackRecorder() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/services/T000/B000/secret-hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                attempts.incrementAndGet();
                attemptTimes.add(Instant.now());
                Answer scripted = script.poll();
                int answer = scripted != null ? scripted.status() : status;
                if (scripted != null && scripted.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", scripted.retryAfter());
                }
                if (answer == 200) {
                    posts.add(body);
                }
                byte[] reply = (answer == 200 ? "ok" : answer == 429 ? "rate_limited" : "server_error")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer, reply.length);
                exchange.getResponseBody().write(reply);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public String webhookUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T000/B000/secret-hook";
    }

    /** Posts Slack accepted (status 200), in arrival order. */
    public List<String> posts() {
        return List.copyOf(posts);
    }

    public int attempts() {
        return attempts.get();
    }

    /** When each post arrived, accepted or not. */
    public List<Instant> attemptTimes() {
        return List.copyOf(attemptTimes);
    }

    public void answerWith(int status) {
        this.status = status;
    }

    /** The next posts get these answers, in order; later ones the status of {@link #answerWith}. */
    public void answerNext(Answer... answers) {
        script.addAll(List.of(answers));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
