package io.github.phrasetmmonitor.net;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.apache.camel.Service;

/**
 * Every HTTP call the monitor makes (Phrase, its IdP, Slack) goes through here, so that no party can hold a thread
 * or the heap: the answer is read up to {@code maxAnswerBytes} and no further (a larger one is refused while it
 * arrives, not after), and the whole exchange, from sending the request to the last byte of the answer, has a
 * deadline. A per-read timeout alone does not bound an answer trickled one byte at a time.
 */
public final class BoundedHttp implements Service {

    private final HttpClient client;
    private final long maxAnswerBytes;
    private final Function<URI, Optional<String>> proxyAuthorization;
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    /** An answer that arrived whole, within the limits; the body decoded as text (invalid bytes become U+FFFD). */
    public record Answer(int status, HttpHeaders headers, String body) {
    }

    public BoundedHttp(HttpClient client, long maxAnswerBytes) {
        this(client, maxAnswerBytes, target -> Optional.empty());
    }

    /** @param proxyAuthorization the Proxy-Authorization header for a target, if its proxy wants a login */
    public BoundedHttp(HttpClient client, long maxAnswerBytes, Function<URI, Optional<String>> proxyAuthorization) {
        this.client = client;
        this.maxAnswerBytes = maxAnswerBytes;
        this.proxyAuthorization = proxyAuthorization;
    }

    public long maxAnswerBytes() {
        return maxAnswerBytes;
    }

    /**
     * Sends the request and waits at most {@code deadline} for the whole answer.
     *
     * @param what names the call in errors, e.g. "GET /api2/v1/transMemories/abc/lastBackgroundTask"
     * @throws HttpTimeoutException     the answer was not complete within the deadline (a transient failure)
     * @throws IOException              no answer: connection refused or reset
     * @throws AnswerTooLargeException  the answer is larger than the limit (retrying will not help)
     * @throws UnreadableAnswerException the answer claims an encoding it does not have (retrying will not help)
     */
    public Answer send(HttpRequest request, Duration deadline, String what) throws IOException, InterruptedException {
        if (stopped) {
            throw new IOException(what + " not sent: the monitor is stopping");
        }
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        // the client's own timeout ends a wait for the answer's head; the deadline below covers the body too
        HttpRequest.Builder bounded = HttpRequest.newBuilder(request, (name, value) -> true).timeout(deadline);
        proxyAuthorization.apply(request.uri()).ifPresent(login -> bounded.header("Proxy-Authorization", login));
        CompletableFuture<HttpResponse<byte[]>> call = client.sendAsync(bounded.build(),
                info -> new LimitedBody(info, maxAnswerBytes, deadlineNanos, what, deadline));
        inFlight.add(call);
        HttpResponse<byte[]> response;
        try {
            response = call.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // cancelling the future aborts the exchange and closes its connection
            call.cancel(true);
            throw new HttpTimeoutException(what + " did not complete within " + describe(deadline));
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (CancellationException e) {
            throw new IOException(what + " cut off: the monitor is stopping");
        } catch (ExecutionException e) {
            if (stopped && e.getCause() instanceof CancellationException) {
                // the client may report the cancel as the exchange's own failure
                throw new IOException(what + " cut off: the monitor is stopping");
            }
            throw rethrown(e.getCause());
        } finally {
            inFlight.remove(call);
        }
        return new Answer(response.statusCode(), response.headers(), decode(response, what));
    }

    @Override
    public void start() {
        stopped = false;
    }

    /**
     * Called when the monitor stops, once Camel's graceful shutdown has let the calls in flight finish or given up
     * on them: cuts those still waiting, so that no slow party holds the process past camel.main.shutdown-timeout,
     * and sends nothing more.
     */
    @Override
    public void stop() {
        stopped = true;
        inFlight.forEach(call -> call.cancel(true));
    }

    private static IOException rethrown(Throwable cause) {
        if (cause instanceof AnswerTooLargeException tooLarge) {
            throw tooLarge;
        }
        if (cause instanceof UnreadableAnswerException unreadable) {
            throw unreadable;
        }
        if (cause instanceof IOException io) {
            return io;
        }
        return new IOException(cause == null ? "no answer" : cause.getClass().getSimpleName(), cause);
    }

    private String decode(HttpResponse<byte[]> response, String what) {
        byte[] bytes = response.body();
        String encoding = response.headers().firstValue("Content-Encoding").orElse("identity")
                .strip().toLowerCase(Locale.ROOT);
        if (encoding.equals("gzip") || encoding.equals("x-gzip")) {
            bytes = gunzip(bytes, what);
        } else if (!encoding.equals("identity") && !encoding.isEmpty()) {
            throw new UnreadableAnswerException("the answer to " + what + " is encoded as '"
                    + printable(encoding) + "', which the monitor did not ask for and cannot read");
        }
        return new String(bytes, charsetOf(response.headers()));
    }

    /** Decompressed with the same limit: a small compressed answer may unpack to gigabytes. */
    private byte[] gunzip(byte[] compressed, String what) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) > 0) {
                if (out.size() + read > maxAnswerBytes) {
                    throw new AnswerTooLargeException(what, maxAnswerBytes);
                }
                out.write(buffer, 0, read);
            }
            return out.toByteArray();
        } catch (IOException notGzip) {
            throw new UnreadableAnswerException("the answer to " + what + " says Content-Encoding gzip but is not"
                    + " gzip data (" + notGzip.getClass().getSimpleName() + ")");
        }
    }

    private static Charset charsetOf(HttpHeaders headers) {
        String type = headers.firstValue("Content-Type").orElse("");
        for (String parameter : type.split(";")) {
            String[] pair = parameter.strip().split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("charset")) {
                try {
                    return Charset.forName(pair[1].strip().replace("\"", ""));
                } catch (RuntimeException unknown) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static String printable(String headerValue) {
        String shown = headerValue.replaceAll("[^a-z0-9._-]", "?");
        return shown.length() <= 40 ? shown : shown.substring(0, 40) + "…";
    }

    /** A timeout for a log line: {@code 30 s}, {@code 500 ms}. */
    public static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /**
     * Collects the body, refusing it as soon as it grows past the limit (or declares a larger Content-Length), and
     * giving up when a part arrives after the deadline; either way the subscription is cancelled, which closes the
     * connection instead of draining it.
     */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream collected = new ByteArrayOutputStream();
        private final long declaredLength;
        private final long maxBytes;
        private final long deadlineNanos;
        private final String what;
        private final Duration deadline;
        private Flow.Subscription subscription;

        LimitedBody(HttpResponse.ResponseInfo info, long maxBytes, long deadlineNanos, String what, Duration deadline) {
            this.declaredLength = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            this.maxBytes = maxBytes;
            this.deadlineNanos = deadlineNanos;
            this.what = what;
            this.deadline = deadline;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (declaredLength > maxBytes) {
                fail(new AnswerTooLargeException(what, maxBytes));
                return;
            }
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> parts) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer part : parts) {
                if (collected.size() + (long) part.remaining() > maxBytes) {
                    fail(new AnswerTooLargeException(what, maxBytes));
                    return;
                }
                byte[] bytes = new byte[part.remaining()];
                part.get(bytes);
                collected.write(bytes, 0, bytes.length);
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                fail(new HttpTimeoutException(what + " did not complete within " + describe(deadline)));
            }
        }

        private void fail(Throwable failure) {
            subscription.cancel();
            result.completeExceptionally(failure);
        }

        @Override
        public void onError(Throwable failure) {
            result.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            result.complete(collected.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }
}
