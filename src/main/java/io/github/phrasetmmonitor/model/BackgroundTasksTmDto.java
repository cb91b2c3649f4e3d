package io.github.phrasetmmonitor.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The answer of {@code GET /api2/v1/transMemories/{uid}/lastBackgroundTask}; every field may be absent. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackgroundTasksTmDto(
        String status,
        String finishedDataText,
        AsyncRequestDto asyncRequest,
        String lastTaskString,
        String lastTaskOk,
        String lastTaskError,
        String lastTaskErrorHtml) {
}
