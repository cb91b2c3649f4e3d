package io.github.phrasetmmonitor.state;

import io.github.phrasetmmonitor.text.SafeText;
import java.time.Instant;
import java.util.Objects;

/**
 * What a notice says about a problem of the monitor itself: refused credentials, Phrase answering no watched TM, a
 * watched TM that does not exist or keeps failing, or no successful round at all (the dead-man switch). The subject,
 * what failed and the last error quote Phrase (a TM's name, an answer's text), so each is kept to one line of at most
 * {@link SafeText#LINE} characters, also when an earlier release's journal is read.
 *
 * @param key       what failed: {@code credentials}, {@code phrase-unavailable}, {@code tm-not-found:<uid>},
 *                  {@code tm-failing:<uid>}, {@code stale}
 * @param tmUid     the watched TM it is about, or null for the account or the monitor
 * @param tmName    that TM's name when Phrase told it, or null
 * @param subject   who or what it is about, in words (never a secret)
 * @param what      what failed, in one line
 * @param since     since when
 * @param lastError the last HTTP status or error, in one line
 */
public record ProblemFacts(String key, String tmUid, String tmName, String subject, String what, Instant since,
                           String lastError) {

    public ProblemFacts {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(since, "since");
        key = SafeText.line(key, SafeText.LINE);
        tmUid = tmUid == null ? null : SafeText.id(tmUid);
        tmName = SafeText.name(tmName);
        subject = SafeText.line(subject, SafeText.LINE);
        what = SafeText.line(what, SafeText.LINE);
        lastError = SafeText.line(lastError, SafeText.LINE);
    }

    /** The kind of problem, for routing rules and templates: the key up to its first colon. */
    public String kind() {
        int colon = key.indexOf(':');
        return colon < 0 ? key : key.substring(0, colon);
    }

    /** The same problem, as it is now: the start and what it is about stay as first told. */
    public ProblemFacts withLastError(String error) {
        return new ProblemFacts(key, tmUid, tmName, subject, what, since, error);
    }
}
