package io.github.phrasetmmonitor.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Text from outside, Phrase above all, made fit to show: bounded, in one line where it must be, and without the
 * characters that would hide or forge what people read. Phrase has no limit on a TM name or an error; one TM with a
 * 100,000-character name once made a 314 KB email, a 100,350-character log line and a journal record of 100 KB. It is
 * applied where Phrase's values enter the monitor's own records (the TM directory, {@code TaskCheck}, the state
 * records), so logs, messages and the state journal all see the same bounded text.
 *
 * <p>What is removed or replaced:
 * <ul>
 *   <li>control characters ({@code \p{Cc}}: U+0000, CR, LF, TAB, DEL, U+0080–U+009F) and U+2028/U+2029: in a line,
 *   each run of them becomes one space; in a text, CR LF, CR, U+2028 and U+2029 become LF and the others a space</li>
 *   <li>Unicode bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C): removed, since they
 *   make a name or error read differently from what it is</li>
 *   <li>a lone surrogate (what a JSON {@code \ud800} escape becomes): U+FFFD, as invalid UTF-8 already is</li>
 * </ul>
 * Names, ids, codes and every log line are one line. Error texts keep their line breaks, because Phrase's parse
 * errors often list one problem per line; the message bodies show them as lines, and subjects, Slack headers, digests
 * and logs fold them.
 *
 * <p>Lengths count characters (code points), so an emoji is one, and a cut never splits a surrogate pair. A cut text
 * ends in "…", which counts towards its limit. Text that needs no change is returned as the very same string, so
 * the usual case costs one scan and no copy. Every function is idempotent: applying it to its own result changes
 * nothing, so a value bounded when it entered is not changed again when a record is rebuilt or read back.
 */
public final class SafeText {

    /** A TM's name, in one line. */
    public static final int NAME = 200;
    /** An id: a task id or a TM uid, in one line. Longer ones keep a fingerprint, see {@link #id}. */
    public static final int ID = 100;
    /** One of Phrase's short words, in one line: a task's status, action or error code. */
    public static final int CODE = 100;
    /** A task's error description or last task error; line breaks are kept. */
    public static final int ERROR_TEXT = 1000;
    /** One entry of a task's errorDetails or warnings; line breaks are kept. */
    public static final int ERROR_DETAIL = 300;
    /** How many errorDetails of one task are kept. */
    public static final int ERROR_DETAILS = 20;
    /** One line of the monitor's that quotes outside text: a problem's subject, what failed, its last error. */
    public static final int LINE = 500;

    static final String CUT_MARK = "…";
    /** "#" and 16 hex digits of SHA-256 after a cut or changed id. */
    private static final int FINGERPRINT_LENGTH = 17;
    private static final char REPLACEMENT = '\uFFFD';

    private SafeText() {
    }

    public static String name(String text) {
        return line(text, NAME);
    }

    public static String code(String text) {
        return line(text, CODE);
    }

    public static String error(String text) {
        return text(text, ERROR_TEXT);
    }

    public static String errorDetail(String text) {
        return text(text, ERROR_DETAIL);
    }

    /**
     * An id that stays an identity: a safe one is returned as it is; any other is cleaned, cut to leave room (ending
     * in "…" if cut) and followed by {@code #} and 16 hex digits of the SHA-256 of the whole, so two long ids that
     * start alike stay two (alert once is keyed on the task id).
     */
    public static String id(String text) {
        if (text == null || isSafeLine(text, ID)) {
            return text;
        }
        return line(text, ID - FINGERPRINT_LENGTH) + "#" + fingerprint(text);
    }

    /**
     * One line, however long: for text that is bounded already, or cut later by its own rules (a message's parts by
     * Slack's limits), such as a rendered template.
     */
    public static String fold(String text) {
        return line(text, Integer.MAX_VALUE);
    }

    /** A text that keeps its line breaks, however long: a rendered message, whose values are bounded already. */
    public static String clean(String text) {
        return text(text, Integer.MAX_VALUE);
    }

    /**
     * One line of at most {@code limit} characters: control characters and line breaks become one space, bidi
     * controls go, runs of spaces become one and the ends are stripped.
     */
    public static String line(String text, int limit) {
        if (text == null || isSafeLine(text, limit)) {
            return text;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), room(limit)));
        boolean space = false;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (isBidiControl(c)) {
                continue;
            }
            if (c == ' ' || isControl(c) || isLineSeparator(c)) {
                space = true;
                continue;
            }
            if (space && out.length() > 0) {
                out.append(' ');
            }
            space = false;
            appendCharacter(out, c);
            if (out.length() > room(limit)) {
                break; // enough to cut from; the rest of a huge text is never looked at
            }
        }
        return cut(out.toString().strip(), limit);
    }

    /**
     * A text of at most {@code limit} characters that keeps its line breaks (as LF, at most one empty line in a row):
     * other control characters become a space, bidi controls go, and the ends are stripped.
     */
    public static String text(String text, int limit) {
        if (text == null || isSafeText(text, limit)) {
            return text;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), room(limit)));
        int breaks = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (isBidiControl(c)) {
                continue;
            }
            if (c == '\r' && i < text.length() && text.charAt(i) == '\n') {
                continue; // CR LF is one break: the LF adds it
            }
            if (c == '\n' || c == '\r' || isLineSeparator(c)) {
                if (++breaks <= 2) {
                    out.append('\n');
                }
                continue;
            }
            breaks = 0;
            if (isControl(c)) {
                out.append(' ');
            } else {
                appendCharacter(out, c);
            }
            if (out.length() > room(limit)) {
                break;
            }
        }
        return cut(out.toString().strip(), limit);
    }

    /** The UTF-16 chars that surely hold more than {@code limit} characters: each takes at most two. */
    private static int room(int limit) {
        return limit > Integer.MAX_VALUE / 2 - 1 ? Integer.MAX_VALUE : limit * 2 + 2;
    }

    private static boolean isLonger(String text, int limit) {
        return text.length() > limit && (text.length() >= room(limit)
                || text.codePointCount(0, text.length()) > limit);
    }

    /** Cuts to {@code limit} characters, the last of them "…", never between the two halves of a surrogate pair. */
    static String cut(String text, int limit) {
        if (!isLonger(text, limit)) {
            return text;
        }
        int end = text.offsetByCodePoints(0, Math.max(0, limit - 1));
        // the cut may leave a space or a line break before the mark; without it, cutting again changes nothing
        return text.substring(0, end).stripTrailing() + CUT_MARK;
    }

    /** True when {@link #line} would return the text unchanged; the check every poll makes on ordinary text. */
    static boolean isSafeLine(String text, int limit) {
        if (isLonger(text, limit)) {
            return false;
        }
        if (!text.isEmpty() && (Character.isWhitespace(text.codePointAt(0))
                || Character.isWhitespace(text.codePointBefore(text.length())))) {
            return false;
        }
        char previous = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c) || isLineSeparator(c) || isBidiControl(c) || (c == ' ' && previous == ' ')
                    || isLoneSurrogate(text, i)) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    private static boolean isSafeText(String text, int limit) {
        if (isLonger(text, limit)) {
            return false;
        }
        if (!text.isEmpty() && (Character.isWhitespace(text.codePointAt(0))
                || Character.isWhitespace(text.codePointBefore(text.length())))) {
            return false;
        }
        int breaks = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                if (++breaks > 2) {
                    return false;
                }
                continue;
            }
            breaks = 0;
            if (isControl(c) || isLineSeparator(c) || isBidiControl(c) || isLoneSurrogate(text, i)) {
                return false;
            }
        }
        return true;
    }

    private static void appendCharacter(StringBuilder out, int c) {
        if (Character.isSurrogate((char) c) && Character.isBmpCodePoint(c)) {
            out.append(REPLACEMENT);
        } else {
            out.appendCodePoint(c);
        }
    }

    private static boolean isControl(int c) {
        return Character.getType(c) == Character.CONTROL;
    }

    private static boolean isLineSeparator(int c) {
        return c == '\u2028' || c == '\u2029';
    }

    /** The characters that reorder text on screen: embeddings, overrides, isolates and the directional marks. */
    static boolean isBidiControl(int c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200E' || c == '\u200F' || c == '\u061C';
    }

    private static boolean isLoneSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
    }

    /** 16 hex digits of the text's SHA-256: tells two texts apart where only a short, stable name fits. */
    public static String fingerprint(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
