package io.github.phrasetmmonitor.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A local stand-in for a vendor's HTTP endpoint (PagerDuty's Events API, a Teams workflow): records every request as
 * it arrived (method, path, query, content type, body) and answers it the way the vendor would, through a judge that
 * checks the payload the vendor documents ({@link VendorPayloads}); tests may script the next answers (a 429 with
 * Retry-After, a 503) ahead of the judge.
 */
public final class VendorStub implements AutoCloseable {

    /** One request as it reached the stub, and the status it was answered with (0 while it is judged). */
    public record Request(String method, String path, String query, String contentType, String body, int status,
                          Instant at) {

        Request answered(int with) {
            return new Request(method, path, query, contentType, body, with, at);
        }

        public boolean taken() {
            return status >= 200 && status < 300;
        }
    }

    /** An answer: a status, a body and extra headers (Retry-After, say). */
    public record Answer(int status, String body, Map<String, String> headers) {

        public static Answer of(int status, String body) {
            return new Answer(status, body, Map.of());
        }

        public static Answer retryAfter(int status, String seconds) {
            return new Answer(status, "{\"status\":\"throttle event\",\"message\":\"Requests for this service are"
                    + " arriving too quickly. Please retry later.\"}", Map.of("Retry-After", seconds));
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Function<Request, Answer> judge;
    private final String path;
    private final HttpServer server;
    private volatile Answer always;

    /**
     * @param path  the path it listens on (and below)
     * @param judge the vendor's answer to a request it was not scripted to answer otherwise
     */
    public VendorStub(String path, Function<Request, Answer> judge) throws IOException {
        this.path = path;
        this.judge = judge;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, this::handle);
        server.setExecutor(threads);
        server.start();
    }

    private void handle(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Content-Type"),
                    body, 0, Instant.now());
            Answer scripted = script.poll();
            Answer standing = always;
            Answer answer = scripted != null ? scripted : standing != null ? standing : judge.apply(request);
            requests.add(request.answered(answer.status()));
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] reply = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), reply.length == 0 ? -1 : reply.length);
            if (reply.length > 0) {
                exchange.getResponseBody().write(reply);
            }
        } catch (IOException clientGone) {
            // the monitor gave up waiting, or stopped
        } finally {
            exchange.close();
        }
    }

    /** The next requests get these answers, in order, whatever they hold; later ones the judge's. */
    public void answerNext(Answer... answers) {
        script.addAll(List.of(answers));
    }

    /** From now on every request not scripted otherwise gets this answer; null: the judge's again. */
    public void answerWith(Answer answer) {
        always = answer;
    }

    /** The URL of its path, with {@code suffix} (a query, say) appended. */
    public String url(String suffix) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path + suffix;
    }

    public String url() {
        return url("");
    }

    /** Every request, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The bodies of the requests it took (2xx), in arrival order. */
    public List<String> taken() {
        return requests.stream().filter(Request::taken).map(Request::body).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
