package io.github.phrasetmmonitor.support;

import com.sun.net.httpserver.HttpExchange;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for a Slack incoming webhook: records every POST and answers with a status tests can set, or with
 * a script of answers for the next posts (e.g. one 429 with {@code Retry-After}, then the usual status). It can also
 * hold its answers (a delivery in flight), be too slow (posts time out and are dropped), or be down.
 */
public final class SlackRecorder implements AutoCloseable {

    /** One scripted answer; {@code retryAfter} null for none. */
    public record Answer(int status, String retryAfter) {
    }

    private static final String DEFAULT_PATH = "/services/T000/B000/secret-hook";

    private final List<String> posts = new CopyOnWriteArrayList<>();
    private final List<Instant> attemptTimes = new CopyOnWriteArrayList<>();
    private final List<String> attemptBodies = new CopyOnWriteArrayList<>();
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final int port;
    private final String path;
    private HttpServer server;
    private volatile int status = 200;
    private volatile CountDownLatch hold;
    private volatile CountDownLatch slow;

    public SlackRecorder() throws IOException {
        this(DEFAULT_PATH);
    }

    /** @param path the webhook's path, e.g. /services/T000/B000/xyz (the secret part of a real webhook URL) */
    public SlackRecorder(String path) throws IOException {
        this.path = path;
        server = listen(0);
        port = server.getAddress().getPort();
    }

    private HttpServer listen(int onPort) throws IOException {
        HttpServer created = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
        created.createContext(path, this::handle);
        created.setExecutor(threads);
        created.start();
        return created;
    }

    private void handle(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            attempts.incrementAndGet();
            attemptBodies.add(body);
            attemptTimes.add(Instant.now());
            CountDownLatch slowness = slow;
            if (slowness != null) {
                // too slow: the monitor gives up first, and the post is dropped
                slowness.await(60, TimeUnit.SECONDS);
                return;
            }
            Answer scripted = script.poll();
            int answer = scripted != null ? scripted.status() : status;
            if (scripted != null && scripted.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", scripted.retryAfter());
            }
            if (answer == 200) {
                posts.add(body);
            }
            CountDownLatch holding = hold;
            if (holding != null) {
                // a delivery in flight: the post has arrived (and counts as seen), the answer waits
                holding.await(60, TimeUnit.SECONDS);
            }
            byte[] reply = (answer == 200 ? "ok" : answer == 429 ? "rate_limited" : "server_error")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer, reply.length);
            exchange.getResponseBody().write(reply);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // the monitor gave up waiting, or was killed
        } finally {
            exchange.close();
        }
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

    /** From now on posts are not answered until {@link #speedUp()}, and not recorded. */
    public void slowDown() {
        slow = new CountDownLatch(1);
    }

    public void speedUp() {
        CountDownLatch slowness = slow;
        slow = null;
        if (slowness != null) {
            slowness.countDown();
        }
    }

    /** Nothing listens on the webhook's port: connections are refused. */
    public synchronized void goDown() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    public synchronized void comeBack() throws IOException {
        server = listen(port);
    }

    public String webhookUrl() {
        return "http://127.0.0.1:" + port + path;
    }

    /** Posts Slack accepted (status 200), in arrival order; a held post counts from its arrival. */
    public List<String> posts() {
        return List.copyOf(posts);
    }

    /** The body of every post that arrived, answered or not, in arrival order. */
    public List<String> attemptBodies() {
        return List.copyOf(attemptBodies);
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
    public synchronized void close() {
        release();
        speedUp();
        server.stop(0);
        threads.shutdownNow();
    }
}
