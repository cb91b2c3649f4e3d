package io.github.phrasetmmonitor.phrase;

import io.github.phrasetmmonitor.logging.Causes;
import io.github.phrasetmmonitor.settings.MonitorSettings;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, after each attempt of a Phrase call, whether to try again. The phrase-get route loops while variable
 * {@code phraseRetry} is true.
 * <ul>
 * <li>401: the session token was refused; drop it (the next attempt logs in again) and retry once, unless a new
 * sign-in cannot help (an API token, or a session signed in this round). A 401 or 403 not retried means Phrase refuses
 * the credentials: the round's {@link SignInGate} stops the round.</li>
 * <li>429: pause the whole {@link RequestBudget} as {@code Retry-After} says; with {@code Ratelimit-*} headers (the
 * concurrency cap) about a minute; otherwise exponentially with jitter. Then retry.</li>
 * <li>5xx, timeouts, connection errors: retry with exponential backoff and jitter, at most {@code maxRetries}
 * times; then the call fails and that TM waits for the next round.</li>
 * </ul>
 * No retry, and no wait for one, that would end after the TM's {@code phrase.check-timeout} ({@link CheckDeadline}).
 */
public final class PhraseCallPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(PhraseCallPolicy.class);
    static final String ATTEMPT = "phraseAttempt";
    static final String RETRY = "phraseRetry";

    private final PhraseSession session;
    private final SignInGate gate;
    private final RequestBudget budget;
    private final int maxRetries;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Duration rateLimitPause;

    /** @param pacing the backoff of retries and the pause after a rate-limit 429 (phrase.retry-backoff and so on) */
    public PhraseCallPolicy(PhraseSession session, SignInGate gate, RequestBudget budget, int maxRetries,
                            MonitorSettings.Pacing pacing) {
        this.session = session;
        this.gate = gate;
        this.budget = budget;
        this.maxRetries = maxRetries;
        this.firstBackoff = pacing.retryBackoff();
        this.maxBackoff = pacing.retryBackoffMax();
        this.rateLimitPause = pacing.rateLimitPause();
    }

    /** Before the first attempt. */
    public void begin(Exchange exchange) {
        exchange.setVariable(ATTEMPT, 0);
        exchange.setVariable(RETRY, true);
    }

    /** Phrase answered; decide on its status. */
    public void answered(Exchange exchange) throws InterruptedException {
        int attempt = nextAttempt(exchange);
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int code = status == null ? -1 : status;
        boolean refused = code == 401 || code == 403;
        if (!refused) {
            if ((code >= 200 && code < 300) || code == 404) {
                gate.accepted(exchange);
            } else {
                gate.noVerdict(exchange);
            }
        }
        boolean retry = false;
        if (code == 401 && attempt == 1) {
            retry = session.tokenRejected(exchange.getMessage().getHeader("Authorization", String.class), exchange);
        } else if (code == 429 && attempt <= maxRetries) {
            Duration pause = pauseAfterTooManyRequests(exchange, attempt);
            budget.pauseFor(pause);
            retry = withinCheckTimeout(exchange, pause, "HTTP 429");
        } else if (code >= 500 && attempt <= maxRetries) {
            retry = backOff(exchange, attempt, "HTTP " + code);
        }
        if (refused && !retry) {
            gate.refused(exchange);
        }
        exchange.setVariable(RETRY, retry);
    }

    /** The call did not get an answer (timeout, connection refused or reset). */
    public void failed(Exchange exchange) throws Exception {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        gate.noVerdict(exchange);
        int attempt = nextAttempt(exchange);
        if (attempt > maxRetries || isCertificateProblem(failure) || !backOff(exchange, attempt, describe(failure))) {
            exchange.setVariable(RETRY, false);
            throw new PhraseApiException("GET " + exchange.getVariable("phrasePath", String.class) + " failed after "
                    + attempt + (attempt == 1 ? " attempt" : " attempts") + (attempt > maxRetries ? ""
                    : " (no time left for another within phrase.check-timeout)") + ": " + describe(failure), -1,
                    failure);
        }
        exchange.setVariable(RETRY, true);
    }

    private Duration pauseAfterTooManyRequests(Exchange exchange, int attempt) {
        Duration retryAfter = retryAfter(exchange.getMessage().getHeader("Retry-After", String.class));
        if (retryAfter != null) {
            return retryAfter;
        }
        if (exchange.getMessage().getHeader("Ratelimit-Limit") != null
                || exchange.getMessage().getHeader("Ratelimit-Remaining") != null) {
            return rateLimitPause;
        }
        return backoff(attempt);
    }

    /** Retry-After is either seconds or an HTTP date. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    /** Waits before the next attempt; false, without waiting, when the TM's check would run out of time first. */
    private boolean backOff(Exchange exchange, int attempt, String reason) throws InterruptedException {
        Duration wait = backoff(attempt);
        if (!withinCheckTimeout(exchange, wait, reason)) {
            return false;
        }
        LOG.debug("GET {} attempt {} failed ({}); retrying in {} ms", exchange.getVariable("phrasePath"), attempt,
                reason, wait.toMillis());
        TimeUnit.MILLISECONDS.sleep(wait.toMillis());
        return true;
    }

    private static boolean withinCheckTimeout(Exchange exchange, Duration wait, String reason) {
        if (CheckDeadline.of(exchange).allows(wait)) {
            return true;
        }
        LOG.debug("GET {} failed ({}); no retry: phrase.check-timeout would pass first",
                exchange.getVariable("phrasePath"), reason);
        return false;
    }

    /** Exponential backoff with jitter: a random wait between half and all of first * 2^(attempt-1), capped. */
    Duration backoff(int attempt) {
        long ceiling = Math.min(maxBackoff.toMillis(), firstBackoff.toMillis() << Math.min(attempt - 1, 20));
        long floor = ceiling / 2;
        return Duration.ofMillis(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
    }

    /** An untrusted certificate or a name mismatch: the next attempt would meet the same certificate. */
    private static boolean isCertificateProblem(Exception failure) {
        return failure != null && Causes.find(failure, java.security.GeneralSecurityException.class).isPresent();
    }

    private static int nextAttempt(Exchange exchange) {
        int attempt = exchange.getVariable(ATTEMPT, 0, Integer.class) + 1;
        exchange.setVariable(ATTEMPT, attempt);
        return attempt;
    }

    private static String describe(Exception failure) {
        if (failure == null) {
            return "no answer";
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + ResponseExcerpt.oneLine(message, 200));
    }
}
