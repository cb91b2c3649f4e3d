package io.github.phrasetmmonitor.net;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import org.apache.camel.Exchange;
import org.apache.camel.Service;
import org.apache.camel.component.http.HttpActivityListener;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.auth.AuthCache;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.auth.BasicAuthCache;
import org.apache.hc.client5.http.impl.auth.BasicScheme;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * The bounds of every HTTP call the monitor makes on camel-http (Phrase, its IdP, Slack), set on the http and https
 * components so that every endpoint gets them. camel-http's own options cannot bound an answer: it reads the whole
 * body before a route step sees it, and its timeouts are per read, so a byte a second never trips them. Its supported
 * extension point can: this {@link HttpClientConfigurer} puts an exec interceptor first in HttpClient's chain that
 * <ul>
 *   <li>refuses a declared {@code Content-Length} over {@code monitor.max-answer-size} before any body is read, and
 *       counts the body (decoded, for gzip) while Camel reads it, cancelling the request past the limit;</li>
 *   <li>cancels the request at the call's deadline (exchange property {@link #DEADLINE}, else the default), from
 *       sending it to the last byte of the answer;</li>
 *   <li>logs in to the proxy preemptively, so the first CONNECT already carries {@code Proxy-Authorization};</li>
 *   <li>cancels the calls still in flight when the monitor stops, once Camel's graceful shutdown gave up on them.</li>
 * </ul>
 * Cancelling is HttpClient's {@code Cancellable} on the request: it shuts the connection, so a blocked read ends at
 * once and the rest of the body is never drained. It needs the exchange in HttpClient's context, which camel-http
 * puts there only when an {@link HttpActivityListener} is set: this is that listener too. HttpGuardUnitTest pins all
 * of it against real servers, so a Camel or HttpClient upgrade that changes what it relies on fails a test.
 */
public final class HttpGuard implements HttpClientConfigurer, HttpActivityListener, ExecChainHandler {

    /** Exchange property: the most this call may take ({@link Duration}), answer included. */
    public static final String DEADLINE = "monitorHttpDeadline";
    /** Exchange property: the call as errors name it, e.g. "GET /api2/v1/transMemories/abc". */
    public static final String CALL = "monitorHttpCall";
    /** Where camel-http puts the exchange in HttpClient's context (HttpProducer.executeMethod). */
    static final String EXCHANGE_ATTRIBUTE = "org.apache.camel.Exchange";

    private final long maxAnswerBytes;
    private final Duration defaultDeadline;
    private final Optional<ProxyLogin> proxyLogin;
    private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor timer;
    private volatile boolean stopped;

    /** A proxy that wants a login: sent with the first request (a CONNECT for https), not after a 407. */
    public record ProxyLogin(String host, int port, String username, String password) {
        @Override
        public String toString() {
            return "ProxyLogin[" + host + ":" + port + ", " + username + ", ****]";
        }
    }

    public HttpGuard(long maxAnswerBytes, Duration defaultDeadline, Optional<ProxyLogin> proxyLogin) {
        this.maxAnswerBytes = maxAnswerBytes;
        this.defaultDeadline = defaultDeadline;
        this.proxyLogin = proxyLogin;
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "http-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        // a deadline is cancelled when its call ends, thousands a round: they must not stay queued
        deadlines.setRemoveOnCancelPolicy(true);
        this.timer = deadlines;
    }

    public long maxAnswerBytes() {
        return maxAnswerBytes;
    }

    /**
     * Puts the guard on a camel-http component, for all its endpoints. HttpClient's own retries are off: they would
     * go around the monitor's request budget and retry policy, and its retry waits out a Retry-After before it looks
     * at a cancel. No compression is asked for, and cookies are not kept: as the JDK client did before.
     */
    public void install(HttpComponent http) {
        http.setHttpClientConfigurer(this);
        http.setHttpActivityListener(this);
        http.setAutomaticRetriesDisabled(true);
        http.setContentCompressionDisabled(true);
        http.setCookieManagementDisabled(true);
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addExecInterceptorFirst("phrase-tm-monitor-bounds", this);
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Exchange exchange = (Exchange) scope.clientContext.getAttribute(EXCHANGE_ATTRIBUTE);
        String what = exchange != null && exchange.getProperty(CALL) instanceof String named ? named
                : request.getMethod() + " " + request.getPath();
        if (stopped) {
            throw new IOException(what + " not sent: the monitor is stopping");
        }
        Duration deadline = exchange != null && exchange.getProperty(DEADLINE) instanceof Duration given ? given
                : defaultDeadline;
        // the request camel-http built; HttpClient runs a copy of it but cancels through the original
        Call call = new Call((Cancellable) scope.originalRequest, what, deadline);
        proxyLogin.ifPresent(login -> scope.clientContext.setAuthCache(preemptive(login)));
        ClassicHttpResponse response;
        try {
            response = chain.proceed(request, scope);
        } catch (IOException failure) {
            call.end();
            throw call.explain(failure);
        } catch (HttpException | RuntimeException failure) {
            call.end();
            throw failure;
        }
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            call.end();
            return response;
        }
        Header length = response.getFirstHeader("Content-Length");
        Header encodingHeader = response.getFirstHeader("Content-Encoding");
        String encoding = encodingHeader == null ? "identity"
                : encodingHeader.getValue().strip().toLowerCase(Locale.ROOT);
        RuntimeException refusal = null;
        if (length != null && declared(length) > maxAnswerBytes) {
            refusal = new AnswerTooLargeException(what, maxAnswerBytes);
        } else if (!encoding.equals("identity") && !encoding.isEmpty() && !isGzip(encoding)) {
            refusal = new UnreadableAnswerException("the answer to " + what + " is encoded as '"
                    + printable(encoding) + "', which the monitor did not ask for and cannot read");
        }
        if (refusal != null) {
            call.cancel();
            call.end();
            try {
                response.close();
            } catch (IOException closedByTheCancel) {
                // the connection is gone, as intended: nothing of the body is read
            }
            throw refusal;
        }
        if (isGzip(encoding)) {
            // decoded here, with the limit on what it unpacks to; Camel must not unpack it again
            response.removeHeaders("Content-Encoding");
            response.removeHeaders("Content-Length");
        }
        response.setEntity(new GuardedEntity(entity, new GuardedBody(entity, call, isGzip(encoding))));
        return response;
    }

    private static AuthCache preemptive(ProxyLogin login) {
        BasicScheme basic = new BasicScheme();
        basic.initPreemptive(new UsernamePasswordCredentials(login.username(), login.password().toCharArray()));
        AuthCache cache = new BasicAuthCache();
        cache.put(new HttpHost("http", login.host(), login.port()), basic);
        return cache;
    }

    private static long declared(Header length) {
        try {
            return Long.parseLong(length.getValue().strip());
        } catch (NumberFormatException unreadable) {
            return -1;
        }
    }

    private static boolean isGzip(String encoding) {
        return encoding.equals("gzip") || encoding.equals("x-gzip");
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

    @Override
    public void onRequestSubmitted(Object source, Exchange exchange, HttpHost host, HttpRequest request,
                                   HttpEntity entity) {
        // a listener only so that camel-http hands the exchange to execute(); nothing to record
    }

    @Override
    public void onResponseReceived(Object source, Exchange exchange, HttpHost host, HttpResponse response,
                                   HttpEntity entity, long elapsed) {
        // see onRequestSubmitted
    }

    /**
     * Called when the monitor stops, once Camel's graceful shutdown has let the calls in flight finish or given up
     * on them: cuts those still waiting, so that no slow party holds the process past camel.main.shutdown-timeout,
     * and sends nothing more.
     */
    public void stop() {
        stopped = true;
        inFlight.forEach(Call::stopping);
        timer.shutdownNow();
    }

    /**
     * {@link #stop()} as a service of the Camel context, stopped after the routes. Not the guard itself: camel-http
     * starts and stops its configurer and listener with each endpoint, and an endpoint that stops must not stop
     * the calls of the others.
     */
    public Service stopsWithTheContext() {
        return new Service() {
            @Override
            public void start() {
                // the guard is ready from its construction
            }

            @Override
            public void stop() {
                HttpGuard.this.stop();
            }
        };
    }

    private ScheduledFuture<?> schedule(Runnable expire, Duration deadline) {
        try {
            return timer.schedule(expire, Math.max(deadline.toNanos(), 0), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // the monitor stopped since the call started: stop() cancels it
            return null;
        }
    }

    /** How many calls are under way; for tests. */
    int callsInFlight() {
        return inFlight.size();
    }

    /** One call from sending its request to the last byte of its answer. */
    private final class Call {

        private final Cancellable request;
        private final String what;
        private final Duration deadline;
        private final ScheduledFuture<?> expiry;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile boolean expired;
        private volatile boolean cutByStop;

        Call(Cancellable request, String what, Duration deadline) {
            this.request = request;
            this.what = what;
            this.deadline = deadline;
            inFlight.add(this);
            this.expiry = schedule(this::expire, deadline);
            if (stopped) {
                // stop() ran between the check in execute() and here, and did not see this call
                stopping();
            }
        }

        private void expire() {
            expired = true;
            request.cancel();
        }

        void stopping() {
            cutByStop = true;
            request.cancel();
        }

        void cancel() {
            request.cancel();
        }

        void end() {
            if (ended.compareAndSet(false, true)) {
                if (expiry != null) {
                    expiry.cancel(false);
                }
                inFlight.remove(this);
            }
        }

        /** The failure of a call that was cut says why it was cut; any other is the network's own. */
        IOException explain(IOException failure) {
            if (expired) {
                CallTimeoutException timeout = new CallTimeoutException(what + " did not complete within "
                        + describe(deadline));
                timeout.initCause(failure);
                return timeout;
            }
            if (cutByStop) {
                return new IOException(what + " cut off: the monitor is stopping", failure);
            }
            return failure;
        }
    }

    /** The answer's body as Camel reads it: counted, decoded when gzip, and ending the call when done. */
    private final class GuardedBody extends InputStream {

        private final HttpEntity entity;
        private final Call call;
        private final boolean gzip;
        private InputStream raw;
        private InputStream decoded;
        private long count;
        private boolean networkFailed;

        GuardedBody(HttpEntity entity, Call call, boolean gzip) {
            this.entity = entity;
            this.call = call;
            this.gzip = gzip;
        }

        private InputStream decoded() throws IOException {
            if (decoded == null) {
                raw = new NetworkSide(entity.getContent());
                decoded = gzip ? new GZIPInputStream(raw, 8192) : raw;
            }
            return decoded;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int read = read(one, 0, 1);
            return read < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read;
            try {
                read = decoded().read(buffer, offset, length);
            } catch (IOException failure) {
                call.end();
                if (networkFailed || call.expired || call.cutByStop) {
                    throw call.explain(failure);
                }
                call.cancel();
                throw new UnreadableAnswerException("the answer to " + call.what
                        + " says Content-Encoding gzip but is not gzip data (" + failure.getClass().getSimpleName()
                        + ")");
            }
            if (read < 0) {
                call.end();
                return read;
            }
            count += read;
            if (count > maxAnswerBytes) {
                call.cancel();
                call.end();
                throw new AnswerTooLargeException(call.what, maxAnswerBytes);
            }
            return read;
        }

        @Override
        public void close() throws IOException {
            try {
                if (raw != null) {
                    decoded.close();
                } else {
                    entity.close();
                }
            } finally {
                call.end();
            }
        }

        /** Marks a failure of the connection itself, told apart from bytes that are not gzip. */
        private final class NetworkSide extends InputStream {
            private final InputStream in;

            NetworkSide(InputStream in) {
                this.in = in;
            }

            @Override
            public int read() throws IOException {
                try {
                    return in.read();
                } catch (IOException failure) {
                    networkFailed = true;
                    throw failure;
                }
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                try {
                    return in.read(buffer, offset, length);
                } catch (IOException failure) {
                    networkFailed = true;
                    throw failure;
                }
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        }
    }

    /** The answer's entity with the guarded body in place of the network's. */
    private static final class GuardedEntity extends HttpEntityWrapper {

        private final GuardedBody body;

        GuardedEntity(HttpEntity entity, GuardedBody body) {
            super(entity);
            this.body = body;
        }

        @Override
        public InputStream getContent() {
            return body;
        }

        @Override
        public long getContentLength() {
            return body.gzip ? -1 : super.getContentLength();
        }

        @Override
        public String getContentEncoding() {
            return body.gzip ? null : super.getContentEncoding();
        }

        @Override
        public boolean isStreaming() {
            return true;
        }

        @Override
        public boolean isRepeatable() {
            return false;
        }

        @Override
        public void writeTo(java.io.OutputStream out) throws IOException {
            body.transferTo(out);
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
