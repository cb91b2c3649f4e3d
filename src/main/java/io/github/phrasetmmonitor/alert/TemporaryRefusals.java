package io.github.phrasetmmonitor.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long an email notice waits after the SMTP server refused it for now (a 4xx reply, for some recipients or the
 * whole message): {@code alert.email.temporary-refusal-wait} after the first refusal, doubling with each refusal in a
 * row, up to {@link #LONGEST}, as mail servers space their own retries in minutes. Not within the round: a server
 * that says "later" (greylisting, a busy mailbox, a full queue) is not asked again a second later. The notice is held
 * back until then ({@link AlertChannel#heldBackUntil}); a delivery clears it. Kept in memory, by the notice's
 * {@link NoticeMessageId}: after a restart the next round tries at once, which is one attempt more, never one less.
 */
public final class TemporaryRefusals {

    /** The longest wait between two attempts of one notice. */
    public static final Duration LONGEST = Duration.ofMinutes(30);

    private record Wait(int refusals, Instant until) {
    }

    private final Duration first;
    private final Clock clock;
    private final NoticeMessageId ids = new NoticeMessageId("");
    private final Map<String, Wait> waits = new ConcurrentHashMap<>();

    /** @param first the wait after the first refusal ({@code alert.email.temporary-refusal-wait}) */
    public TemporaryRefusals(Duration first, Clock clock) {
        this.first = first;
        this.clock = clock;
    }

    /** The server refused the notice for now: the time before which it is not tried again. */
    public Instant refused(Notice notice) {
        Instant now = clock.instant();
        // notices that were resolved or delivered elsewhere meanwhile leave their entry: dropped once long over
        waits.values().removeIf(wait -> wait.until().plus(LONGEST).isBefore(now));
        Wait wait = waits.compute(ids.of(notice), (id, before) -> {
            int refusals = before == null ? 1 : before.refusals() + 1;
            return new Wait(refusals, now.plus(waitAfter(refusals)));
        });
        return wait.until();
    }

    /** The wait after the {@code refusals}-th refusal in a row. */
    Duration waitAfter(int refusals) {
        Duration wait = first;
        for (int i = 1; i < refusals && wait.compareTo(LONGEST) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
    }

    /** Until when the notice waits, if it does now. */
    public Optional<Instant> heldBackUntil(Notice notice) {
        if (waits.isEmpty()) {
            return Optional.empty();
        }
        Wait wait = waits.get(ids.of(notice));
        return wait == null || !clock.instant().isBefore(wait.until()) ? Optional.empty() : Optional.of(wait.until());
    }

    /** Everyone left has the notice: its next refusal, if any, starts from the first wait again. */
    public void delivered(Notice notice) {
        if (!waits.isEmpty()) {
            waits.remove(ids.of(notice));
        }
    }
}
