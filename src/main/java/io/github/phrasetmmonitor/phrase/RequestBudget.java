package io.github.phrasetmmonitor.phrase;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one budget every call to Phrase draws from (login, TM list, TM details, lastBackgroundTask). Phrase allows
 * 6,000 requests per minute per user plus a cap on concurrent requests, shared with the account's other
 * integrations, so the monitor paces itself instead of bursting: requests are spread evenly at
 * {@code 60 s / maxPerMinute} apart, and at most {@code maxConcurrent} are in flight. When Phrase answers 429 the
 * whole budget pauses, so the next request waits instead of joining a burst.
 */
public final class RequestBudget {

    private static final Logger LOG = LoggerFactory.getLogger(RequestBudget.class);

    private final long intervalNanos;
    private final Semaphore inFlight;
    private final Clock clock;
    private final int maxPerMinute;
    private final int maxConcurrent;
    private long nextSlotNanos;
    private long pausedUntilMillis;
    /** For the metrics: requests let through, and 429 pauses. */
    private final java.util.concurrent.atomic.LongAdder started = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder pauses = new java.util.concurrent.atomic.LongAdder();

    public RequestBudget(int maxPerMinute, int maxConcurrent, Clock clock) {
        if (maxPerMinute < 1 || maxConcurrent < 1) {
            throw new IllegalArgumentException("request budget must allow at least one request");
        }
        this.maxPerMinute = maxPerMinute;
        this.maxConcurrent = maxConcurrent;
        this.intervalNanos = TimeUnit.MINUTES.toNanos(1) / maxPerMinute;
        this.inFlight = new Semaphore(maxConcurrent, true);
        this.clock = clock;
        this.nextSlotNanos = System.nanoTime();
    }

    public int maxPerMinute() {
        return maxPerMinute;
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    /** Requests started since start-up. */
    public long started() {
        return started.sum();
    }

    /** Requests under way now. */
    public int inFlight() {
        return maxConcurrent - inFlight.availablePermits();
    }

    /** How often Phrase's 429 paused every call since start-up. */
    public long pauses() {
        return pauses.sum();
    }

    /** Blocks until a request may start: a concurrency slot is free and the request's turn in the pace has come. */
    public void acquire() throws InterruptedException {
        inFlight.acquire();
        try {
            long waitNanos = reserveSlot();
            if (waitNanos > 0) {
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            }
            started.increment();
        } catch (InterruptedException | RuntimeException e) {
            inFlight.release();
            throw e;
        }
    }

    public void release() {
        inFlight.release();
    }

    /** Phrase said "too many requests": nobody starts a request before {@code pause} has passed. */
    public synchronized void pauseFor(Duration pause) {
        long until = clock.millis() + pause.toMillis();
        if (until > pausedUntilMillis) {
            pauses.increment();
            pausedUntilMillis = until;
            nextSlotNanos = Math.max(nextSlotNanos, System.nanoTime() + pause.toNanos());
            LOG.warn("Phrase answered 429 Too Many Requests; pausing all calls for {} s", pause.toSeconds());
        }
    }

    private synchronized long reserveSlot() {
        long now = System.nanoTime();
        long slot = Math.max(now, nextSlotNanos);
        nextSlotNanos = slot + intervalNanos;
        return slot - now;
    }
}
