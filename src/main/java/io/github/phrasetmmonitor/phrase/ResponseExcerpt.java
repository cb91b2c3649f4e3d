package io.github.phrasetmmonitor.phrase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.text.SafeText;

/**
 * Turns whatever Phrase sent back into a short single line for a log: its {@code errorCode: errorDescription} when
 * the body is Phrase's JSON error, otherwise the first characters with line breaks and control characters folded,
 * so an HTML error page or a truncated document never floods the log or forges extra log lines, and without bidi
 * controls.
 */
public final class ResponseExcerpt {

    static final int MAX_CHARACTERS = 160;

    private final ObjectMapper mapper;

    public ResponseExcerpt(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String of(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String phraseError = phraseError(body);
        return phraseError != null ? phraseError : "body starts: \"" + firstCharacters(body) + "\"";
    }

    private String phraseError(String body) {
        if (!body.stripLeading().startsWith("{")) {
            return null;
        }
        try {
            JsonNode json = mapper.readTree(body);
            String code = json.path("errorCode").asText("");
            String description = json.path("errorDescription").asText("");
            if (code.isEmpty() && description.isEmpty()) {
                return null;
            }
            return oneLine(code + (description.isEmpty() ? "" : ": " + description), MAX_CHARACTERS);
        } catch (Exception notJson) {
            return null;
        }
    }

    private static String firstCharacters(String body) {
        return oneLine(body, MAX_CHARACTERS);
    }

    /** At most {@code limit} characters of the text in one line (see {@link SafeText#line}), then "…". */
    static String oneLine(String text, int limit) {
        return SafeText.line(text, limit + 1);
    }
}
