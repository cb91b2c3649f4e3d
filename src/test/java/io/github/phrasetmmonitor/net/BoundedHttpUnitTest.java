package io.github.phrasetmmonitor.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The limits hold against a real server on loopback: an endless answer is refused while it arrives and the
 * connection is closed (the server sees its writes fail), a trickle and a silence are cut at the deadline, a gzip
 * bomb is refused, and an ordinary answer comes through whole.
 */
class BoundedHttpUnitTest {

    private static final long LIMIT = 64 * 1024;

    private HttpServer server;
    private final AtomicLong written = new AtomicLong();
    private final AtomicInteger silentCalls = new AtomicInteger();
    private final AtomicBoolean writeFailed = new AtomicBoolean();
    private final CountDownLatch released = new CountDownLatch(1);
    private final BoundedHttp http = new BoundedHttp(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build(), LIMIT);

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/endless", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = "[1,2,3,4,5,6,7]".repeat(512).getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = exchange.getResponseBody()) {
                while (written.get() < 1L << 30) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException closedByClient) {
                writeFailed.set(true);
            }
        });
        server.createContext("/declared", exchange -> {
            exchange.sendResponseHeaders(200, 10L << 20);
            exchange.close();
        });
        server.createContext("/trickle", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 120; i++) {
                    out.write('x');
                    out.flush();
                    released.await(1, TimeUnit.SECONDS);
                }
            } catch (IOException | InterruptedException closedByClient) {
                writeFailed.set(true);
            }
        });
        server.createContext("/silent", exchange -> {
            silentCalls.incrementAndGet();
            exchange.sendResponseHeaders(200, 0);
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.createContext("/bomb", exchange -> {
            exchange.getResponseHeaders().add("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = new GZIPOutputStream(exchange.getResponseBody())) {
                out.write(new byte[(int) (LIMIT * 16)]);
            }
        });
        server.createContext("/ok", exchange -> {
            byte[] body = "{\"errorCode\":\"é\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        released.countDown();
        server.stop(0);
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .timeout(Duration.ofSeconds(30)).GET().build();
    }

    @Test
    void anEndlessAnswerIsRefusedWhileItArrivesAndItsConnectionClosed() {
        assertThatThrownBy(() -> http.send(get("/endless"), Duration.ofSeconds(30), "GET /endless"))
                .isInstanceOf(AnswerTooLargeException.class)
                .hasMessage("the answer to GET /endless is larger than monitor.max-answer-size (64 KB); reading"
                        + " stopped there");
        await().atMost(Duration.ofSeconds(10)).untilTrue(writeFailed);
        assertThat(written.get()).as("the server could not go on writing").isLessThan(64L << 20);
    }

    @Test
    void aDeclaredLengthAboveTheLimitIsRefusedBeforeReading() {
        assertThatThrownBy(() -> http.send(get("/declared"), Duration.ofSeconds(30), "GET /declared"))
                .isInstanceOf(AnswerTooLargeException.class);
    }

    @Test
    void aTrickleIsCutAtTheDeadlineNotWhenItEnds() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> http.send(get("/trickle"), Duration.ofSeconds(2), "GET /trickle"))
                .isInstanceOf(HttpTimeoutException.class).hasMessage("GET /trickle did not complete within 2 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).untilTrue(writeFailed);
    }

    @Test
    void silenceAfterTheHeadersIsCutAtTheDeadline() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> http.send(get("/silent"), Duration.ofSeconds(2), "GET /silent"))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void stoppingCutsACallStillWaitingAndSendsNoMore() throws Exception {
        CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        http.send(get("/silent"), Duration.ofSeconds(30), "GET /silent");
                        return null;
                    } catch (Exception e) {
                        return e;
                    }
                });
        await().atMost(Duration.ofSeconds(10)).until(() -> !failure.isDone() && silentCalls.get() > 0);

        http.stop();

        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
                .hasMessage("GET /silent cut off: the monitor is stopping");
        assertThatThrownBy(() -> http.send(get("/ok"), Duration.ofSeconds(5), "GET /ok"))
                .isInstanceOf(IOException.class).hasMessage("GET /ok not sent: the monitor is stopping");
    }

    @Test
    void aGzipBombIsRefusedAtTheLimit() {
        assertThatThrownBy(() -> http.send(get("/bomb"), Duration.ofSeconds(30), "GET /bomb"))
                .isInstanceOf(AnswerTooLargeException.class);
    }

    @Test
    void anOrdinaryAnswerComesThroughWhole() throws Exception {
        BoundedHttp.Answer answer = http.send(get("/ok"), Duration.ofSeconds(5), "GET /ok");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"errorCode\":\"é\"}");
    }
}
