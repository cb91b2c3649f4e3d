package io.github.phrasetmmonitor.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.OffsetDateTime;

@JsonIgnoreProperties(ignoreUnknown = true)
public record LoginResponseDto(
        String token,
        @JsonDeserialize(using = PhraseDateTimeDeserializer.class) OffsetDateTime expires) {

    @Override
    public String toString() {
        return "LoginResponseDto[token=****, expires=" + expires + "]";
    }
}
