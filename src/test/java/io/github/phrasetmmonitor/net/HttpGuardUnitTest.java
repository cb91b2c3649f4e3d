package io.github.phrasetmmonitor.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bounds hold on a real camel-http endpoint against a real server on loopback, and what {@link HttpGuard} relies
 * on in camel-http and HttpClient is pinned here: the exchange reaches HttpClient's exec chain (the per-call deadline
 * below is only on the exchange), the request is cancellable and a cancel ends a blocked read and closes the
 * connection (the server sees its writes fail), the component's configurer and automaticRetriesDisabled reach every
 * endpoint (one request for a 503 with Retry-After). An upgrade of Camel or HttpClient that breaks any of it fails
 * here.
 */
class HttpGuardUnitTest {

    private static final long LIMIT = 64 * 1024;

    private HttpServer server;
    private ExecutorService serverThreads;
    private final AtomicLong written = new AtomicLong();
    private final AtomicInteger silentCalls = new AtomicInteger();
    private final AtomicInteger busyCalls = new AtomicInteger();
    private final AtomicBoolean writeFailed = new AtomicBoolean();
    private final CountDownLatch released = new CountDownLatch(1);
    /** Long: any cut sooner than this comes from the deadline the exchange names. */
    private final HttpGuard guard = new HttpGuard(LIMIT, Duration.ofSeconds(60), Optional.empty());
    private CamelContext context;
    private ProducerTemplate template;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext("/endless", exchange -> {
            // chunked, up to 200 MB
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = "[1,2,3,4,5,6,7]".repeat(512).getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = exchange.getResponseBody()) {
                while (written.get() < 200L << 20) {
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
        server.createContext("/fake-gzip", exchange -> {
            byte[] body = "{\"plain\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/gzip", exchange -> {
            exchange.getResponseHeaders().add("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = new GZIPOutputStream(exchange.getResponseBody())) {
                out.write("{\"small\":true}".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/busy", exchange -> {
            busyCalls.incrementAndGet();
            exchange.getResponseHeaders().add("Retry-After", "5");
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
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

        context = new DefaultCamelContext();
        guard.install(context.getComponent("http", HttpComponent.class));
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        released.countDown();
        context.stop();
        guard.stop();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    /** A GET as the routes make it; the answer's body as text, or the call's failure thrown. */
    private Exchange get(String path, Duration deadline) throws Exception {
        Exchange done = template.send("http://127.0.0.1:" + server.getAddress().getPort() + path
                + "?httpMethod=GET&throwExceptionOnFailure=false", exchange -> {
                    exchange.setProperty(HttpGuard.DEADLINE, deadline);
                    exchange.setProperty(HttpGuard.CALL, "GET " + path);
                });
        if (done.getException() != null) {
            throw done.getException();
        }
        done.getMessage().setBody(done.getMessage().getBody(String.class));
        return done;
    }

    @Test
    void anEndlessAnswerIsRefusedWhileItArrivesAndItsConnectionClosed() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> get("/endless", Duration.ofSeconds(30)))
                .isInstanceOf(AnswerTooLargeException.class)
                .hasMessage("the answer to GET /endless is larger than monitor.max-answer-size (64 KB); reading"
                        + " stopped there");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).untilTrue(writeFailed);
        assertThat(written.get()).as("the server could not go on writing").isLessThan(64L << 20);
        assertThat(guard.callsInFlight()).isZero();
    }

    @Test
    void aDeclaredLengthAboveTheLimitIsRefusedBeforeReading() {
        assertThatThrownBy(() -> get("/declared", Duration.ofSeconds(30)))
                .isInstanceOf(AnswerTooLargeException.class).hasMessageContaining("GET /declared");
    }

    @Test
    void aTrickleIsCutAtTheDeadlineTheExchangeNamesNotWhenItEnds() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> get("/trickle", Duration.ofSeconds(2)))
                .isInstanceOf(CallTimeoutException.class).hasMessage("GET /trickle did not complete within 2 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1900),
                Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).untilTrue(writeFailed);
    }

    @Test
    void silenceAfterTheHeadersIsCutAtTheDeadline() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> get("/silent", Duration.ofSeconds(2)))
                .isInstanceOf(CallTimeoutException.class).hasMessage("GET /silent did not complete within 2 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(guard.callsInFlight()).isZero();
    }

    @Test
    void stoppingCutsACallStillWaitingAndSendsNoMore() throws Exception {
        CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
            try {
                get("/silent", Duration.ofSeconds(30));
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> !failure.isDone() && silentCalls.get() > 0);

        guard.stop();

        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
                .hasMessage("GET /silent cut off: the monitor is stopping");
        assertThatThrownBy(() -> get("/ok", Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class).hasMessage("GET /ok not sent: the monitor is stopping");
    }

    @Test
    void aGzipBombIsRefusedAtTheLimitOfWhatItUnpacksTo() {
        assertThatThrownBy(() -> get("/bomb", Duration.ofSeconds(30)))
                .isInstanceOf(AnswerTooLargeException.class);
    }

    @Test
    void gzipIsUnpackedAndAGzipHeaderOnAPlainBodyIsUnreadableNotANetworkFault() throws Exception {
        assertThat(get("/gzip", Duration.ofSeconds(5)).getMessage().getBody(String.class))
                .isEqualTo("{\"small\":true}");
        assertThatThrownBy(() -> get("/fake-gzip", Duration.ofSeconds(5)))
                .isInstanceOf(UnreadableAnswerException.class)
                .hasMessageStartingWith("the answer to GET /fake-gzip says Content-Encoding gzip but is not gzip data");
    }

    @Test
    void httpClientDoesNotRetryOnItsOwn() throws Exception {
        long start = System.nanoTime();
        Exchange answer = get("/busy", Duration.ofSeconds(30));
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(503);
        assertThat(busyCalls.get()).as("the monitor's retry policy decides, not HttpClient's").isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void anOrdinaryAnswerComesThroughWholeAndEndsItsCall() throws Exception {
        for (int i = 0; i < 3; i++) {
            Exchange answer = get("/ok", Duration.ofSeconds(5));
            assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(200);
            assertThat(answer.getMessage().getBody(String.class)).isEqualTo("{\"errorCode\":\"é\"}");
        }
        assertThat(guard.callsInFlight()).isZero();
    }
}
