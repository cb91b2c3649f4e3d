package io.github.phrasetmmonitor.silence;

import io.github.phrasetmmonitor.state.Incident;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a silence or a maintenance window matches: a TM (its uid, or its name by a pattern where {@code *} is any text
 * and {@code ?} one character, case-insensitive), and kinds of incident ({@code task-failed}, {@code task-stuck},
 * {@code problem} for every problem of the monitor, or a problem's own kind such as {@code tm-failing}). Every part
 * given must match; none given matches everything.
 *
 * <p>The monitor's own {@link #PROTECTED_KINDS} (Phrase refusing the credentials, Phrase not answering) are matched
 * only by a matcher that names them: a silence put on for a migration or a maintenance must not hide that the monitor
 * itself went blind.
 *
 * @param tmUid   the TM's uid, or null for any
 * @param tmName  a pattern of the TM's name, or null for any
 * @param kinds   the kinds of incident, empty for any
 */
public record SilenceMatcher(String tmUid, String tmName, Set<String> kinds) {

    public static final String TASK_FAILED = Incident.TASK_FAILED;
    public static final String TASK_STUCK = Incident.TASK_STUCK;
    public static final String ANY_PROBLEM = Incident.PROBLEM;
    /** The monitor's problems "credentials" and "phrase-unavailable": only a matcher naming them hides them. */
    public static final Set<String> PROTECTED_KINDS = Set.of("credentials", "phrase-unavailable");
    /** The problem kinds a matcher may name (see health/MonitorProblems). */
    public static final Set<String> PROBLEM_KINDS = Set.of("credentials", "phrase-unavailable", "stale",
            "tm-not-found", "tm-failing", "email-recipient-refused", "email-refused");
    public static final SilenceMatcher EVERYTHING = new SilenceMatcher(null, null, Set.of());

    public SilenceMatcher {
        tmUid = blankToNull(tmUid);
        tmName = blankToNull(tmName);
        kinds = Set.copyOf(new LinkedHashSet<>(kinds == null ? Set.of() : kinds));
        for (String kind : kinds) {
            if (!isKind(kind)) {
                throw new IllegalArgumentException("kind '" + kind + "' is not one of " + knownKinds());
            }
        }
    }

    /** The kinds a matcher may name, for messages. */
    public static String knownKinds() {
        List<String> known = new ArrayList<>(List.of(TASK_FAILED, TASK_STUCK, ANY_PROBLEM));
        PROBLEM_KINDS.stream().sorted().forEach(known::add);
        return String.join(", ", known);
    }

    public static boolean isKind(String kind) {
        return TASK_FAILED.equals(kind) || TASK_STUCK.equals(kind) || ANY_PROBLEM.equals(kind)
                || PROBLEM_KINDS.contains(kind);
    }

    /**
     * The matcher of the command line's words: {@code everything}, or any of {@code tm=<uid>},
     * {@code tm-name=<pattern>}, {@code kind=<kind>[,<kind>…]} (repeated kinds add up).
     */
    public static SilenceMatcher parse(List<String> words) {
        String uid = null;
        String name = null;
        Set<String> kinds = new LinkedHashSet<>();
        boolean everything = false;
        for (String word : words) {
            int equals = word.indexOf('=');
            String key = equals < 0 ? word : word.substring(0, equals);
            String value = equals < 0 ? "" : word.substring(equals + 1).trim();
            switch (key) {
                case "everything" -> everything = true;
                case "tm" -> uid = value;
                case "tm-name" -> name = value;
                case "kind" -> {
                    for (String kind : value.split(",")) {
                        if (!kind.isBlank()) {
                            kinds.add(kind.trim());
                        }
                    }
                }
                default -> throw new IllegalArgumentException("'" + word + "' is not a matcher: use everything,"
                        + " tm=<uid>, tm-name=<pattern> or kind=<kind>");
            }
            if (!key.equals("everything") && value.isEmpty()) {
                throw new IllegalArgumentException("'" + word + "' has no value");
            }
        }
        SilenceMatcher matcher = new SilenceMatcher(uid, name, kinds);
        if (everything && !matcher.isEverything()) {
            throw new IllegalArgumentException("'everything' cannot go with tm=, tm-name= or kind=");
        }
        if (!everything && matcher.isEverything()) {
            throw new IllegalArgumentException("say what to silence: everything, tm=<uid>, tm-name=<pattern> or"
                    + " kind=<kind>");
        }
        return matcher;
    }

    public boolean isEverything() {
        return tmUid == null && tmName == null && kinds.isEmpty();
    }

    public boolean matches(Incident incident) {
        String kind = incident.isProblem() ? incident.problemKind() : incident.kind();
        String name = incident.isProblem() ? incident.problemTmName() : incident.facts().tmName();
        return matches(incident.tmUid(), name, kind);
    }

    /**
     * Whether an incident of {@code kind} ({@code task-failed}, {@code task-stuck}, or a problem's kind) about the TM
     * {@code tmUid} named {@code name} (both null for a problem of the account or the monitor) is matched.
     */
    public boolean matches(String uid, String name, String kind) {
        boolean problem = !TASK_FAILED.equals(kind) && !TASK_STUCK.equals(kind);
        if (problem && PROTECTED_KINDS.contains(kind) && !kinds.contains(kind)) {
            return false;
        }
        if (!kinds.isEmpty() && !kinds.contains(kind) && !(problem && kinds.contains(ANY_PROBLEM))) {
            return false;
        }
        if (tmUid != null && !tmUid.equals(uid)) {
            return false;
        }
        return tmName == null || (name != null && glob(tmName).matcher(name).matches());
    }

    /** How ops wrote it: {@code everything}, or its parts, as {@code silence add} takes them. */
    public String describe() {
        if (isEverything()) {
            return "everything";
        }
        List<String> parts = new ArrayList<>();
        if (tmUid != null) {
            parts.add("tm=" + tmUid);
        }
        if (tmName != null) {
            parts.add("tm-name=" + tmName);
        }
        if (!kinds.isEmpty()) {
            parts.add("kind=" + String.join(",", kinds.stream().sorted().toList()));
        }
        return String.join(" ", parts);
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public String toString() {
        return describe();
    }
}
