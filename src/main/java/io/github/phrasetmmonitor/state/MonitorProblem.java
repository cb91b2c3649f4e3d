package io.github.phrasetmmonitor.state;

import io.github.phrasetmmonitor.text.SafeText;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A problem of the monitor itself, told to people like an alert: refused credentials, a watched TM that does not
 * exist, a TM whose poll keeps failing, or no successful round at all (the dead-man switch). Open from when it was
 * detected until its recovery notice reached every channel that was told about it. Its subject, what failed and its
 * last error quote Phrase (a TM's name, an answer's text), so each is kept to one line of at most
 * {@link SafeText#LINE} characters, also when an earlier release's journal is read.
 *
 * @param key         what failed: {@code credentials}, {@code tm-not-found:<uid>}, {@code tm-failing:<uid>},
 *                    {@code stale}
 * @param subject     who or what it is about: the TM's uid, or the account (never a secret)
 * @param what        what failed, in one line
 * @param since       since when
 * @param lastError   the last HTTP status or error, in one line
 * @param channels    the channels to tell
 * @param announced   the channels that took the problem alert
 * @param recoveredAt when it recovered; null while it lasts
 * @param recoveryAnnounced the channels that took the recovery notice
 */
public record MonitorProblem(String key, String subject, String what, Instant since, String lastError,
                             List<String> channels, Set<String> announced, Instant recoveredAt,
                             Set<String> recoveryAnnounced) {

    public MonitorProblem {
        subject = SafeText.line(subject, SafeText.LINE);
        what = SafeText.line(what, SafeText.LINE);
        lastError = SafeText.line(lastError, SafeText.LINE);
        channels = List.copyOf(channels);
        announced = Set.copyOf(announced == null ? Set.of() : announced);
        recoveryAnnounced = Set.copyOf(recoveryAnnounced == null ? Set.of() : recoveryAnnounced);
    }

    public static MonitorProblem detected(String key, String subject, String what, Instant since, String lastError,
                                          List<String> channels) {
        return new MonitorProblem(key, subject, what, since, lastError, channels, Set.of(), null, Set.of());
    }

    public boolean isRecovered() {
        return recoveredAt != null;
    }

    /** The problem as it is now: what failed and the last error may change while it lasts; the start does not. */
    public MonitorProblem update(String newWhat, String newLastError) {
        return new MonitorProblem(key, subject, newWhat, since, newLastError, channels, announced, null,
                recoveryAnnounced);
    }

    public MonitorProblem recovered(Instant at) {
        return new MonitorProblem(key, subject, what, since, lastError, channels, announced, at, recoveryAnnounced);
    }

    public MonitorProblem withAnnounced(String channel) {
        Set<String> told = new LinkedHashSet<>(announced);
        told.add(channel);
        return new MonitorProblem(key, subject, what, since, lastError, channels, told, recoveredAt,
                recoveryAnnounced);
    }

    public MonitorProblem withRecoveryAnnounced(String channel) {
        Set<String> told = new LinkedHashSet<>(recoveryAnnounced);
        told.add(channel);
        return new MonitorProblem(key, subject, what, since, lastError, channels, announced, recoveredAt, told);
    }

    /** Recovered, and every channel that was told about it has been told that it recovered. */
    public boolean isSettled() {
        return isRecovered() && recoveryAnnounced.containsAll(announced);
    }
}
