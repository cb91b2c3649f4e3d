package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.classify.TaskCheck;
import io.github.phrasetmmonitor.classify.TaskOutcome;
import io.github.phrasetmmonitor.model.AsyncRequestDto;
import io.github.phrasetmmonitor.model.AsyncResponseDto;
import io.github.phrasetmmonitor.model.BackgroundTasksTmDto;
import io.github.phrasetmmonitor.model.ErrorDetailDto;
import io.github.phrasetmmonitor.model.TransMemoryDto;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.FailureRecord;
import io.github.phrasetmmonitor.state.Routing;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

public final class AlertTestData {

    private AlertTestData() {
    }

    static TaskCheck failure(String tmName, String errorDesc, String detailMessage, String lastTaskError) {
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

    static FailureRecord record(TaskCheck check) {
        return FailureRecord.detected(FailureFacts.of(check),
                new Routing(List.of("slack", "email"), "default", "l10n-ops@example.com"),
                Instant.parse("2024-01-02T03:04:05Z"));
    }

    /** A failure alert on {@code channel} for a failure like {@link #failure}. */
    public static Notice alert(String channel, TaskCheck check) {
        return new Notice(Notice.Kind.ALERT, channel, channel.equals("slack") ? "default" : "l10n-ops@example.com",
                null, List.of(record(check)));
    }
}
