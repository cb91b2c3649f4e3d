package io.github.phrasetmmonitor.silence;

import java.time.Instant;
import java.util.Objects;

/**
 * An ad-hoc silence an operator put on with {@code silence add}: what it matches, from when until when, who put it on
 * and why. {@code expiredAt} is set when {@code silence expire} ended it early. Kept in the state ({@link SilenceStore})
 * so it holds across restarts and on every node of a cluster.
 */
public record Silence(String id, SilenceMatcher matcher, Instant startsAt, Instant endsAt, String author,
                      String reason, Instant createdAt, Instant expiredAt) {

    public Silence {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(matcher, "matcher");
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(endsAt, "endsAt");
        author = author == null ? "" : author;
        reason = reason == null ? "" : reason;
    }

    /** In force at {@code now}: started, not ended, not expired by hand. */
    public boolean activeAt(Instant now) {
        return !now.isBefore(startsAt) && now.isBefore(end());
    }

    /** When it ends (or ended): its end, or when it was expired by hand if that came first. */
    public Instant end() {
        return expiredAt != null && expiredAt.isBefore(endsAt) ? expiredAt : endsAt;
    }

    public Silence expired(Instant at) {
        return new Silence(id, matcher, startsAt, endsAt, author, reason, createdAt, at);
    }

    /** How it is named in logs, explain and the metrics: {@code silence <id>}. */
    public String label() {
        return "silence " + id;
    }
}
