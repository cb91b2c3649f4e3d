package io.github.phrasetmmonitor.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.OffsetDateTime;

/**
 * {@code action} is an enum in the spec (IMPORT_TMX, EXPORT_TMX, ...) that Phrase keeps extending; it is kept as
 * text so an action this build has never seen still parses and still alerts.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AsyncRequestDto(
        String id,
        UserReference createdBy,
        @JsonDeserialize(using = PhraseDateTimeDeserializer.class) OffsetDateTime dateCreated,
        String action,
        AsyncResponseDto asyncResponse,
        ProjectReference project) {
}
