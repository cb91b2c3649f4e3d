package io.github.phrasetmmonitor.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.phrasetmmonitor.text.SafeText;
import java.time.Instant;
import java.util.Objects;

/**
 * One decision the monitor took about telling people of an incident: a notice a channel took ({@link #sent}), or one
 * it held back and why ({@link Reason}). Kept with the incident ({@link Incident#history()}), so "why was I not
 * alerted?" can be answered after a restart and after the incident is closed ({@code history}, /observe/history).
 *
 * <p>{@code destination} is what the routing rules chose: a webhook's or a Slack channel's NAME, email addresses;
 * never a webhook URL or any other secret. {@code node} is the cluster node (cluster.node-name) or the host that
 * decided.
 *
 * @param notice alert, digest, reminder, resolved (what the notice was, or would have been)
 * @param reason null for a notice the channel took alone; {@link Reason#DIGESTED} for one it took in a digest
 * @param detail words that say more: which digest, until when, which recipient, what happens next
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Decision(Instant at, String channel, String destination, String notice, boolean sent, Reason reason,
                       String detail, String node) {

    /** Why a notice was held back (or, {@link #DIGESTED}, sent as one line of a digest). */
    public enum Reason {
        DIGESTED("digested"),
        SILENCED("silenced"),
        HELD_FOR_ROUND("held for its round"),
        WAITING_FOR_FALLBACK("waiting for the fallback channel"),
        FALLBACK("sent by the fallback channel"),
        REFUSED_RECIPIENT("refused recipient"),
        TEMPORARILY_REFUSED("refused for now"),
        CLAIMED_ELSEWHERE("claimed by another node"),
        WITHDRAWN("withdrawn"),
        NOT_ROUTED("not routed"),
        FAILED_WILL_RETRY("failed, tried again"),
        FAILED_GAVE_UP("failed, not tried again");

        private final String words;

        Reason(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    public Decision {
        Objects.requireNonNull(at, "at");
        channel = channel == null ? null : SafeText.line(channel, SafeText.LINE);
        destination = destination == null ? null : SafeText.line(destination, SafeText.LINE);
        detail = detail == null ? null : SafeText.line(detail, SafeText.LINE);
    }

    /** The channel took the notice; {@code reason} null, or {@link Reason#DIGESTED}/{@link Reason#FALLBACK}. */
    public static Decision sent(Instant at, String channel, String destination, String notice, Reason reason,
                                String detail, String node) {
        return new Decision(at, channel, destination, notice, true, reason, detail, node);
    }

    /** The notice was held back on {@code channel} for {@code reason}. */
    public static Decision held(Instant at, String channel, String destination, String notice, Reason reason,
                                String detail, String node) {
        return new Decision(at, channel, destination, notice, false, Objects.requireNonNull(reason, "reason"),
                detail, node);
    }

    /**
     * Whether this says what {@code earlier} said, on the same channel: a reason held back again on a later delivery
     * pass is not written again (the journal is synced per line, and a pass runs after every round).
     */
    boolean repeats(Decision earlier) {
        return !sent && !earlier.sent && Objects.equals(channel, earlier.channel)
                && Objects.equals(notice, earlier.notice) && reason == earlier.reason
                && Objects.equals(detail, earlier.detail) && Objects.equals(destination, earlier.destination);
    }

    /** For people: sent or held back (why), the notice, the channel, the destination, the node; not when. */
    public String describe() {
        StringBuilder line = new StringBuilder();
        line.append(sent ? "sent" : "held back").append(' ').append(notice);
        if (channel != null) {
            line.append(" on ").append(channel);
        }
        if (destination != null && !destination.isEmpty()) {
            line.append(" to ").append(destination);
        }
        if (reason != null) {
            line.append(": ").append(reason.words());
        }
        if (detail != null && !detail.isEmpty()) {
            line.append(" (").append(detail).append(')');
        }
        if (node != null) {
            line.append(" [").append(node).append(']');
        }
        return line.toString();
    }
}
