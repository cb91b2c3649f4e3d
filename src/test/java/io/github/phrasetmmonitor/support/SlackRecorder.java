package io.github.phrasetmmonitor.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A local stand-in for a Slack incoming webhook: records every POST and answers with a status tests can set. */
public final class SlackRecorder implements AutoCloseable {

    private final HttpServer server;
    private final List<String> posts = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile int status = 200;
    private volatile CountDownLatch hold;

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
                CountDownLatch holding = hold;
                if (holding != null) {
                    // a slow Slack: the post has arrived (and counts as seen), the answer waits
                    holding.await(60, TimeUnit.SECONDS);
                }
                byte[] reply = (answer == 200 ? "ok" : "server_error").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer, reply.length);
                exchange.getResponseBody().write(reply);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException clientGone) {
                // the monitor gave up waiting, or was killed
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    /** From now on each post is recorded on arrival, but answered only after {@link #release()}. */
    public void holdAnswers() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch holding = hold;
        hold = null;
        if (holding != null) {
            holding.countDown();
        }
    }

    public String webhookUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T000/B000/secret-hook";
    }

    /** Posts Slack accepted (status 200), in arrival order; a held post counts from its arrival. */
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
        release();
        server.stop(0);
    }
}
