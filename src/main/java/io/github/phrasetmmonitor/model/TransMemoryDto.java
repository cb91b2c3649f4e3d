package io.github.phrasetmmonitor.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.OffsetDateTime;
import java.util.List;

@JsonIgnoreProperties(ignoreUnknown = true)
public record TransMemoryDto(
        String id,
        String uid,
        String name,
        String sourceLang,
        List<String> targetLangs,
        String note,
        @JsonDeserialize(using = PhraseDateTimeDeserializer.class) OffsetDateTime dateCreated) {

    /** Name for people; the uid stands in when Phrase gave no name. */
    public String displayName() {
        return name == null || name.isBlank() ? uid : name;
    }
}
