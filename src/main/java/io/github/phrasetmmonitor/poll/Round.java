package io.github.phrasetmmonitor.poll;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/** One polling round: how many TMs it hands out, how many have started and finished their check. */
final class Round {

    private final Instant started;
    private final AtomicInteger expected = new AtomicInteger(-1);
    private final AtomicInteger checksStarted = new AtomicInteger();
    private final AtomicInteger checksFinished = new AtomicInteger();
    private final AtomicInteger checksSkipped = new AtomicInteger();
    private volatile boolean over;

    Round(Instant started) {
        this.started = started;
    }

    Instant started() {
        return started;
    }

    void expect(int tms) {
        expected.set(tms);
    }

    void checkStarted() {
        checksStarted.incrementAndGet();
    }

    void checkFinished() {
        checksFinished.incrementAndGet();
    }

    /** Every TM of the round has started its check (or was skipped): only slow checks can be left. */
    boolean allStarted() {
        int tms = expected.get();
        return tms >= 0 && checksStarted.get() >= tms;
    }

    /** A TM of the round was not checked: its check of an earlier round still runs, or the monitor is stopping. */
    void checkSkipped() {
        checksSkipped.incrementAndGet();
    }

    /** Every TM the round handed out was checked: none skipped. */
    boolean checkedEveryTm() {
        return checksSkipped.get() == 0;
    }

    int unfinished() {
        return Math.max(0, checksStarted.get() - checksFinished.get());
    }

    void over() {
        over = true;
    }

    boolean isOver() {
        return over;
    }
}
