package io.github.phrasetmmonitor.alert;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The email addresses the SMTP server refused for good (a 5xx reply to {@code RCPT TO}) since the monitor started,
 * with the server's answer. Notices leave them out, so in a storm a bad address costs one refusal, not one per
 * incident. Kept in memory only: the settings change only with a restart, and after one the address is tried again.
 */
public final class RefusedRecipients {

    private final Map<String, String> refused = new ConcurrentHashMap<>();

    /** @return true when the address was not refused before (then it is told as a monitor problem) */
    public boolean refuse(String address, String answer) {
        return refused.putIfAbsent(key(address), answer) == null;
    }

    public boolean isRefused(String address) {
        return refused.containsKey(key(address));
    }

    /** The server's answer when it refused the address, or null. */
    public String answer(String address) {
        return refused.get(key(address));
    }

    private static String key(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
