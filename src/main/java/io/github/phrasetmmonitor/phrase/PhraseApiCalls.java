package io.github.phrasetmmonitor.phrase;

import io.github.phrasetmmonitor.net.BoundedHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Route phrase-request's HTTP step: one GET to Phrase through {@link BoundedHttp}. It takes what the route set
 * (headers {@code Authorization}, {@code Accept}, {@code CamelHttpPath}, {@code CamelHttpQuery}) and leaves what the
 * later steps read: the body as text, {@code CamelHttpResponseCode} and Phrase's response headers.
 *
 * <p>Why not camel-http: it reads the whole answer before any step can look at its size, and its timeouts are per
 * read, so neither a 200 MB answer nor one trickled a byte a second could be cut. Here the answer is refused past
 * {@code monitor.max-answer-size} while it arrives, and the whole call ends within {@code phrase.read-timeout} or
 * what is left of the TM's {@code phrase.check-timeout}, whichever comes first.
 */
public final class PhraseApiCalls {

    /** Phrase's answer headers the routes and PhraseCallPolicy read. */
    private static final List<String> KEPT_HEADERS = List.of("Content-Type", "Retry-After", "Ratelimit-Limit",
            "Ratelimit-Remaining", "Ratelimit-Reset");

    private final String baseUrl;
    private final BoundedHttp http;
    private final Duration callTimeout;
    private final String userAgent;

    public PhraseApiCalls(String baseUrl, BoundedHttp http, Duration callTimeout, String userAgent) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = http;
        this.callTimeout = callTimeout;
        this.userAgent = userAgent;
    }

    public void get(Exchange exchange) throws IOException, InterruptedException {
        Message message = exchange.getMessage();
        String path = message.getHeader(Exchange.HTTP_PATH, "", String.class);
        String query = message.getHeader(Exchange.HTTP_QUERY, "", String.class);
        Duration deadline = CheckDeadline.of(exchange).cap(callTimeout);
        if (deadline.isZero()) {
            throw new HttpTimeoutException("GET " + path + " not sent: this TM's phrase.check-timeout has passed");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path
                        + (query == null || query.isEmpty() ? "" : "?" + query)))
                .header("User-Agent", userAgent)
                .GET();
        for (String name : List.of("Authorization", "Accept")) {
            String value = message.getHeader(name, String.class);
            if (value != null) {
                request.header(name, value);
            }
        }
        BoundedHttp.Answer answer = http.send(request.build(), deadline, "GET " + path);
        // the Authorization header stays: PhraseCallPolicy names the token a 401 refused
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        for (String name : KEPT_HEADERS) {
            message.removeHeader(name);
            answer.headers().firstValue(name).ifPresent(value -> message.setHeader(name, value));
        }
        message.setBody(answer.body());
    }
}
