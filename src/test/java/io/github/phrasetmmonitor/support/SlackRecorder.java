package io.github.phrasetmmonitor.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A local stand-in for a Slack incoming webhook: records every POST and answers with a status tests can set. */
public final class SlackRecorder implements AutoCloseable {

    private final HttpServer server;
    private final List<String> posts = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile int status = 200;

    public SlackRecorder() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/services/T000/B000/secret-hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                attempts.incrementAndGet();
                int answer = status;
                if (answer == 200) {
                    posts.add(body);
                }
                byte[] reply = (answer == 200 ? "ok" : "server_error").getBytes(StandardCharsets.UTF_8);
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

    public void answerWith(int status) {
        this.status = status;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
