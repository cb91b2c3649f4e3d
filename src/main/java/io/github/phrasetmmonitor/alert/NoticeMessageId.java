package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.state.Incident;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Message-ID} of a notice's email, the same for every copy of it: the copies of one attempt, a retry, and
 * a late copy to a recipient the server refused for now, in a later round or after a restart. So mail clients and
 * servers see one message, as when a server delivers one message to several recipients, and a copy that arrives twice
 * is recognised as the same. It follows from what the notice is (its kind, channel, incidents, and which of their
 * alerts, reminders or recoveries it tells), never from a counter or the clock, and ends in the sender's domain.
 */
public final class NoticeMessageId {

    private final String domain;

    /** @param sender {@code alert.email.from}: the identifiers end in its domain */
    public NoticeMessageId(String sender) {
        String from = sender == null ? "" : sender.trim();
        int at = from.lastIndexOf('@');
        String host = at < 0 ? "" : from.substring(at + 1).replaceAll("[>\\s]", "").toLowerCase(Locale.ROOT);
        this.domain = host.matches("[a-z0-9.-]+") ? host : "phrase-tm-monitor.invalid";
    }

    public String of(Notice notice) {
        StringBuilder seed = new StringBuilder().append(notice.kind()).append('|').append(notice.channel())
                .append('|').append(notice.standsInFor());
        List<Incident> incidents = notice.incidents().stream()
                .sorted(Comparator.comparing(incident -> incident.key().toString())).toList();
        for (Incident incident : incidents) {
            seed.append('|').append(incident.key()).append('@').append(incident.detectedAt());
            switch (notice.kind()) {
                // the reminder after the last time these people were told: each reminder its own message
                case REMINDER -> seed.append("/reminded-after:").append(incident.lastTold(notice.onBehalfOf()));
                case RESOLVED -> seed.append("/resolved:").append(incident.resolution() == null ? ""
                        : incident.resolution().taskId() + "@" + incident.resolution().at());
                case ALERT, DIGEST -> {
                    // an incident is alerted once
                }
            }
        }
        return "<" + digest(seed.toString()) + ".phrase-tm-monitor@" + domain + ">";
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
