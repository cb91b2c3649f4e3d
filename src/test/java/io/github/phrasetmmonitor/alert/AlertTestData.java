package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.classify.TaskCheck;
import io.github.phrasetmmonitor.classify.TaskOutcome;
import io.github.phrasetmmonitor.model.AsyncRequestDto;
import io.github.phrasetmmonitor.model.AsyncResponseDto;
import io.github.phrasetmmonitor.model.BackgroundTasksTmDto;
import io.github.phrasetmmonitor.model.ErrorDetailDto;
import io.github.phrasetmmonitor.model.TransMemoryDto;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.Routing;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

public final class AlertTestData {

    private AlertTestData() {
    }

    /** Slack and email as the monitor configures them, email to ops@example.com by default. */
    public static java.util.Map<String, AlertChannel> channels() {
        return java.util.Map.of(SlackChannel.NAME, new SlackChannel(), EmailChannel.NAME,
                new EmailChannel("ops@example.com"));
    }

    public static TaskCheck failure(String tmName, String errorDesc, String detailMessage, String lastTaskError) {
        TransMemoryDto tm = new TransMemoryDto("1", "tm-uid-1", tmName, "en", List.of("de"), null, null);
        AsyncResponseDto response = new AsyncResponseDto(null, "TMX_INVALID", errorDesc,
                List.of(new ErrorDetailDto("PARSE", null, detailMessage)), List.of(), null);
        AsyncRequestDto request = new AsyncRequestDto("task-42", null,
                OffsetDateTime.of(2023, 11, 7, 5, 31, 56, 0, ZoneOffset.UTC), "IMPORT_TMX", response, null);
        return new TaskCheck(tm, new BackgroundTasksTmDto("ERROR", null, request, null, null, lastTaskError, null),
                TaskOutcome.FAILED);
    }

    /** The shipped templates, as ops would have them. */
    public static AlertTemplates shippedTemplates() {
        return AlertTemplates.load(Path.of("templates"));
    }

    /** Control and bidi characters that {@link #hostileTemplates} and hostile values bring in. */
    static final String FORBIDDEN = "[\\x00-\\x09\\x0B-\\x1F\\x7F-\\x9F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069"
            + "\\u200E\\u200F\\u061C]";

    /**
     * The shipped templates, copied to {@code dir} with a TAB, U+202E and U+0000 (as YAML escapes where the part is
     * quoted) added to the Slack alert's header and context and to the email alert's subject and bodies: text a
     * template brings must be cleaned like Phrase's.
     */
    static AlertTemplates hostileTemplates(Path dir) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(Path.of("templates"))) {
            for (Path file : files.toList()) {
                java.nio.file.Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        edit(dir.resolve("slack-alert.yaml"), "Phrase TM task {{#stuck}}",
                "Phrase TM\\t\\u202E task\\0 {{#stuck}}");
        edit(dir.resolve("slack-alert.yaml"), "{{/fallbackFor}}phrase-tm-monitor\"",
                "{{/fallbackFor}}phrase-tm\\u202E\\0\\t-monitor\"");
        edit(dir.resolve("email-alert.yaml"), "{{/stuck}}: {{tmName}}\"", "{{/stuck}}:\\t\\u202E\\0 {{tmName}}\"");
        edit(dir.resolve("email-alert.yaml"), "Sent by phrase-tm-monitor: once", "Sent by\t\u202E phrase-tm-monitor: once");
        return AlertTemplates.load(dir);
    }

    private static void edit(Path file, String from, String to) throws java.io.IOException {
        String text = java.nio.file.Files.readString(file);
        if (!text.contains(from)) {
            throw new AssertionError(file + " no longer has " + from);
        }
        java.nio.file.Files.writeString(file, text.replace(from, to));
    }

    /** A failed task whose name and errors are huge and bring NUL, U+202E, CR LF and TAB. */
    public static TaskCheck hostileFailure() {
        String hostile = "\u0000\u202E\r\n\t";
        return failure("Legal" + hostile + "Bcc: thief@evil.example " + "N".repeat(100_000),
                "Broken" + hostile + "TMX " + "e".repeat(100_000), "detail" + hostile + "d".repeat(100_000),
                "last" + hostile + "l".repeat(100_000));
    }

    public static Incident record(TaskCheck check) {
        return Incident.detected(FailureFacts.of(check),
                new Routing(List.of("slack", "email"), java.util.Map.of("slack", "default", "email", "l10n-ops@example.com")),
                Instant.parse("2024-01-02T03:04:05Z"));
    }

    /** A failure alert on {@code channel} for a failure like {@link #failure}. */
    public static Notice alert(String channel, TaskCheck check) {
        return new Notice(Notice.Kind.ALERT, channel, channel.equals("slack") ? "default" : "l10n-ops@example.com",
                null, List.of(record(check)));
    }
}
