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
    private final java.util.Set<String> found = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean over;
    /** Phrase refused the credentials during this round: it hands out no more TMs and makes no more calls. */
    private volatile boolean credentialsRefused;
    /** This round signed in to Phrase (a login or a Platform token exchange). */
    private volatile boolean signedIn;
    /** A check is finding out whether Phrase takes the credentials; the others wait for it. Guarded by the gate. */
    private boolean probing;
    /** Phrase answered this round without refusing the credentials: its checks need not wait. Guarded by the gate. */
    private boolean open;

    /** In a cluster, the round's lease: lost when another node took the round over. */
    private final RoundLeases.Lease lease;

    Round(Instant started) {
        this(started, RoundLeases.SINGLE_PROCESS.take().orElseThrow());
    }

    Round(Instant started, RoundLeases.Lease lease) {
        this.started = started;
        this.lease = lease;
    }

    RoundLeases.Lease lease() {
        return lease;
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

    /** This round's check of the TM records a failed or stuck task: a new one is announced once the round ends. */
    void found(String tmUid) {
        found.add(tmUid);
    }

    boolean hasFound(String tmUid) {
        return found.contains(tmUid);
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

    /** @return true the first time, false when the refusal of this round was already recorded */
    boolean refuseCredentials() {
        if (credentialsRefused) {
            return false;
        }
        credentialsRefused = true;
        return true;
    }

    boolean credentialsRefused() {
        return credentialsRefused;
    }

    void signedIn() {
        signedIn = true;
    }

    boolean hasSignedIn() {
        return signedIn;
    }

    boolean probing() {
        return probing;
    }

    void probing(boolean probing) {
        this.probing = probing;
    }

    boolean isOpen() {
        return open;
    }

    void open() {
        open = true;
    }
}
