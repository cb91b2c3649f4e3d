package io.github.phrasetmmonitor.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** One page of {@code GET /api2/v1/transMemories}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PageDtoTransMemoryDto(
        Integer totalElements,
        Integer totalPages,
        Integer pageSize,
        Integer pageNumber,
        Integer numberOfElements,
        List<TransMemoryDto> content) {

    public PageDtoTransMemoryDto {
        content = content == null ? List.of() : content.stream().filter(java.util.Objects::nonNull).toList();
    }
}
