package io.github.phrasetmmonitor.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.OffsetDateTime;
import java.util.List;

@JsonIgnoreProperties(ignoreUnknown = true)
public record AsyncResponseDto(
        @JsonDeserialize(using = PhraseDateTimeDeserializer.class) OffsetDateTime dateCreated,
        String errorCode,
        String errorDesc,
        List<ErrorDetailDto> errorDetails,
        List<ErrorDetailDto> warnings,
        Long acceptedSegmentsCount) {

    public AsyncResponseDto {
        errorDetails = errorDetails == null ? List.of() : List.copyOf(nonNull(errorDetails));
        warnings = warnings == null ? List.of() : List.copyOf(nonNull(warnings));
    }

    private static List<ErrorDetailDto> nonNull(List<ErrorDetailDto> details) {
        return details.stream().filter(java.util.Objects::nonNull).toList();
    }
}
