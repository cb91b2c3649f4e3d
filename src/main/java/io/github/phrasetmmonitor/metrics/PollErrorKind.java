package io.github.phrasetmmonitor.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.phrasetmmonitor.logging.Causes;
import io.github.phrasetmmonitor.phrase.PhraseApiException;
import io.github.phrasetmmonitor.phrase.PhraseLoginRefusedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import javax.net.ssl.SSLException;

/** The {@code kind} label of a failed TM check: what ops would do about it differs by kind. */
public final class PollErrorKind {

    /** Every kind {@link #of} gives, in the README's order: each is exported from start-up, at 0 until it happens. */
    public static final List<String> ALL = List.of("credentials_refused", "not_found", "rate_limited", "server_error",
            "http_error", "unreadable_answer", "timeout", "connection", "tls", "other");

    private PollErrorKind() {
    }

    public static String of(Throwable failure) {
        for (Throwable t : Causes.of(failure)) {
            if (t instanceof PhraseLoginRefusedException) {
                return "credentials_refused";
            }
            if (t instanceof JsonProcessingException) {
                return "unreadable_answer";
            }
            if (t instanceof PhraseApiException api && api.httpStatus() > 0) {
                int status = api.httpStatus();
                if (status == 404) {
                    return "not_found";
                }
                if (status == 429) {
                    return "rate_limited";
                }
                return status >= 500 ? "server_error" : "http_error";
            }
            if (t instanceof SSLException) {
                return "tls";
            }
            if (t instanceof InterruptedIOException) {
                // SocketTimeoutException (HttpGuard's CallTimeoutException too) and HttpClient 5's timeouts
                return "timeout";
            }
            if (t instanceof IOException) {
                return "connection";
            }
        }
        return "other";
    }
}
