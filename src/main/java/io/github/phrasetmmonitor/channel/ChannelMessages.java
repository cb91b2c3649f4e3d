package io.github.phrasetmmonitor.channel;

import io.github.phrasetmmonitor.alert.AlertTemplates;
import io.github.phrasetmmonitor.alert.AlertValues;
import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.settings.TmLinks;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.text.SafeText;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The message of a channel declared in YAML: {@code templates/<channel>-<kind>.yaml}, part {@code body}, rendered
 * with the notice's values JSON-escaped (the usual payload of a webhook, an events API or a topic). Only
 * {@code <channel>-alert.yaml} is required; resolved, digest, problem and problem-digest fall back to digest and
 * alert, and the values say which it is ({@code resolved}, {@code reminder}, {@code list}, {@code problem}). Beside
 * the values every channel's templates see, a declared channel's see:
 * <ul>
 *   <li>{@code incidents}: each incident of the notice alike, task or problem: key (the incident's stable key, as
 *       PagerDuty's dedup_key or an Alertmanager label), kind, tmUid, tmName, tmUrl (the TM in Phrase, unset when
 *       links are off or no TM is concerned), taskId, action, status, problem,
 *       summary, error (one line), stuck, startsAt, endsAt (ISO-8601; endsAt unset while open), first (set on the
 *       first, for separators: {@code {{^first}},{{/first}}});</li>
 *   <li>{@code settings}: the channel's settings for the notice's destination, secrets included (the routing key is
 *       part of PagerDuty's payload); {@code destination}, {@code channel};</li>
 *   <li>{@code now} and {@code holdUntil} (now plus three times the channel's repeat-interval, for an alert that
 *       expires unless posted again).</li>
 * </ul>
 */
public final class ChannelMessages {

    /** Each declared channel's template files: alert is required, the others fall back along this chain. */
    static final List<String> KINDS = List.of("alert", "resolved", "digest", "problem", "problem-digest");
    private static final Map<String, List<String>> FALLBACK = Map.of(
            "alert", List.of("alert"),
            "resolved", List.of("resolved", "alert"),
            "digest", List.of("digest", "alert"),
            "problem", List.of("problem", "alert"),
            "problem-digest", List.of("problem-digest", "digest", "problem", "alert"));
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    private final ChannelSettings settings;
    private final Clock clock;
    private final TmLinks links;
    private volatile AlertTemplates templates;

    /** Without links into Phrase. */
    public ChannelMessages(ChannelSettings settings, Clock clock) {
        this(settings, clock, TmLinks.NONE);
    }

    public ChannelMessages(ChannelSettings settings, Clock clock, TmLinks links) {
        this.settings = settings;
        this.clock = clock;
        this.links = links;
    }

    /**
     * Reads the templates of the declared channels from {@code dir}; what is wrong is added to {@code problems}, one
     * line each naming the file. Called once the routes are read, before any notice is sent.
     */
    public void load(Path dir, Set<String> channels, List<String> problems) {
        templates = AlertTemplates.compile(dir, files(dir, channels), problems);
    }

    /** The template files of {@code channels} found in {@code dir}, the alert template of each always. */
    static Map<String, List<String>> files(Path dir, Set<String> channels) {
        Map<String, List<String>> files = new LinkedHashMap<>();
        for (String channel : channels) {
            for (String kind : KINDS) {
                String name = channel + "-" + kind;
                if (kind.equals("alert") || java.nio.file.Files.isRegularFile(dir.resolve(name + ".yaml"))) {
                    files.put(name, List.of("body"));
                }
            }
        }
        return files;
    }

    /**
     * The message for the notice: its template's body, rendered.
     *
     * @throws io.github.phrasetmmonitor.alert.AlertDeliveryException (final) when a required setting of the channel
     *                                                                 is not set for the notice's destination
     */
    public String render(Notice notice) {
        settings.requireSet(notice);
        AlertTemplates loaded = templates;
        String channel = notice.channel();
        String template = FALLBACK.get(notice.templateKind()).stream().map(kind -> channel + "-" + kind)
                .filter(name -> loaded != null && loaded.has(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("channel " + channel + " has no template "
                        + channel + "-alert.yaml"));
        return loaded.render(template, "body", values(notice));
    }

    /** Everything a declared channel's template sees, JSON-escaped. */
    public Map<String, Object> values(Notice notice) {
        UnaryOperator<String> escape = ChannelMessages::escapeJson;
        Map<String, Object> values = new HashMap<>(AlertValues.of(notice, escape, links));
        values.put("resolved", notice.kind() == Notice.Kind.RESOLVED ? Boolean.TRUE : null);
        values.put("list", notice.isList() ? Boolean.TRUE : null);
        if (notice.isAboutProblem()) {
            values.putIfAbsent("problem", Boolean.TRUE);
        }
        values.put("count", notice.incidents().size());
        values.put("kind", notice.metricKind());
        values.put("channel", escape.apply(notice.channel()));
        values.put("destination", escape.apply(notice.destination()));
        Map<String, String> own = new LinkedHashMap<>();
        settings.values(notice.channel(), notice.destination()).forEach((key, value) -> own.put(key, escape.apply(value)));
        values.put("settings", own);
        Instant now = clock.instant();
        values.put("now", ISO.format(now));
        Duration repeat = settings.duration(notice.channel(), "repeat-interval").orElse(Duration.ofMinutes(5));
        values.put("holdUntil", ISO.format(now.plus(repeat.multipliedBy(3))));
        List<Map<String, Object>> incidents = new ArrayList<>();
        for (Incident incident : notice.incidents()) {
            Map<String, Object> item = incident(incident, escape, now, links);
            item.put("first", incidents.isEmpty() ? Boolean.TRUE : null);
            incidents.add(item);
        }
        values.put("incidents", incidents);
        values.put("key", incidents.get(0).get("key"));
        return values;
    }

    private static Map<String, Object> incident(Incident incident, UnaryOperator<String> escape, Instant now,
                                                TmLinks links) {
        Map<String, Object> item = new HashMap<>();
        item.put("stuck", incident.isStuck() ? Boolean.TRUE : null);
        item.put("key", escape.apply(incident.key().id()));
        item.put("kind", incident.kind());
        item.put("summary", escape.apply(SafeText.line(incident.key().toString(), SafeText.LINE)));
        if (incident.isProblem()) {
            item.put("problem", escape.apply(incident.problem().key()));
            // a problem of one TM (tm-not-found, tm-failing) names it, so a hub can route it by TM
            if (incident.problem().tmUid() != null) {
                item.put("tmUid", escape.apply(incident.problem().tmUid()));
                item.put("tmName", escape.apply(nullToEmpty(incident.problem().tmName())));
            }
            item.put("what", escape.apply(SafeText.line(nullToEmpty(incident.problem().what()), SafeText.LINE)));
            item.put("error", escape.apply(SafeText.line(nullToEmpty(incident.problem().lastError()), 300)));
            item.put("startsAt", ISO.format(incident.problem().since()));
            // a problem about one TM (tm-not-found, tm-failing) links it too
            item.put("tmUrl", AlertValues.tmUrl(incident.problem().tmUid(), escape, links));
        } else {
            item.put("tmUid", escape.apply(nullToEmpty(incident.facts().tmUid())));
            item.put("tmName", escape.apply(nullToEmpty(incident.facts().tmName())));
            item.put("tmUrl", AlertValues.tmUrl(incident.facts().tmUid(), escape, links));
            item.put("taskId", escape.apply(nullToEmpty(incident.facts().taskId())));
            item.put("action", escape.apply(nullToEmpty(incident.facts().action())));
            item.put("status", escape.apply(nullToEmpty(incident.facts().status())));
            item.put("error", escape.apply(nullToEmpty(incident.facts().errorSummary(300))));
            item.put("startsAt", ISO.format(incident.detectedAt() == null ? now : incident.detectedAt()));
        }
        // null while open, so {{#endsAt}} tells the two apart
        item.put("endsAt", incident.resolution() == null || incident.resolution().at() == null ? null
                : ISO.format(incident.resolution().at()));
        return item;
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    /** Text made safe inside a JSON string: quotes, backslashes and control characters escaped. */
    public static String escapeJson(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "ChannelMessages";
    }
}
