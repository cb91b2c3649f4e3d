package io.github.phrasetmmonitor.settings;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as ops write them in settings ({@code 2MB}, {@code 512KB}, {@code 1048576}) and as the logs show them. */
public final class Sizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?");

    private Sizes() {
    }

    /** @throws IllegalArgumentException when the text is not a size */
    public static long parse(String text) {
        Matcher matcher = SIZE.matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a size: " + text);
        }
        long number = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "B" : matcher.group(2);
        return switch (unit) {
            case "KB" -> Math.multiplyExact(number, 1024L);
            case "MB" -> Math.multiplyExact(number, 1024L * 1024);
            case "GB" -> Math.multiplyExact(number, 1024L * 1024 * 1024);
            default -> number;
        };
    }

    public static String describe(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KB";
        }
        return bytes + " bytes";
    }
}
