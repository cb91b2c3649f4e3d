package io.github.phrasetmmonitor.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The Phrase IDM's answer to a token exchange. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlatformTokenDto(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") Long expiresIn) {

    @Override
    public String toString() {
        return "PlatformTokenDto[accessToken=****, tokenType=" + tokenType + ", expiresIn=" + expiresIn + "]";
    }
}
