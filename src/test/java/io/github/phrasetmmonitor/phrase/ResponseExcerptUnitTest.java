package io.github.phrasetmmonitor.phrase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ResponseExcerptUnitTest {

    private static final String PREFIX = "body starts: \"";

    private final ResponseExcerpt excerpt = new ResponseExcerpt(new ObjectMapper());

    @Test
    void phraseJsonErrorIsSummarised() {
        assertThat(excerpt.of("{\"errorCode\":\"AuthUnauthorized\",\"errorDescription\":\"Bad token\"}"))
                .isEqualTo("AuthUnauthorized: Bad token");
        assertThat(excerpt.of(" {\"errorCode\":\"NotFound\"}")).isEqualTo("NotFound");
    }

    @Test
    void phraseErrorCannotForgeLogLines() {
        String summary = excerpt.of("{\"errorCode\":\"X\",\"errorDescription\":\"a\\nFAKE LOG LINE\\r\\n" + "z".repeat(500) + "\"}");

        assertThat(summary).startsWith("X: a FAKE LOG LINE z").doesNotContain("\n", "\r").hasSize(161).endsWith("…");
    }

    /** Issue 14, item 5: no NUL or bidi control from Phrase's answer reaches a log line; a cut keeps emoji whole. */
    @Test
    void phraseAnswerLosesNulAndBidiControlsAndIsCutBetweenCharacters() {
        String summary = excerpt.of("{\"errorCode\":\"X\\u0000\",\"errorDescription\":\"\\u202Egnp.exe\\u2066 "
                + "\\ud83d\\ude00".repeat(500) + "\"}");

        assertThat(summary).startsWith("X : gnp.exe \uD83D\uDE00").endsWith("\uD83D\uDE00…")
                .doesNotContain("\u0000", "\u202E", "\u2066");
        assertThat(summary.codePointCount(0, summary.length())).isEqualTo(161);
    }

    @Test
    void htmlPageBecomesOneShortLine() {
        String html = "<html>\r\n<head>\n<title>502 Bad Gateway</title>\n</head>\n" + "<p>upstream error</p>\n".repeat(100);

        String summary = excerpt.of(html);

        assertThat(summary).doesNotContain("\n", "\r")
                .startsWith(PREFIX + "<html> <head> <title>502 Bad Gateway</title>").endsWith("…\"");
        String quoted = summary.substring(PREFIX.length(), summary.length() - 1);
        assertThat(quoted).hasSizeLessThanOrEqualTo(161);
    }

    @Test
    void jsonWithoutPhraseErrorFieldsIsQuoted() {
        assertThat(excerpt.of("{\"message\":\"nope\"}")).isEqualTo(PREFIX + "{\"message\":\"nope\"}\"");
        assertThat(excerpt.of("{truncated")).isEqualTo(PREFIX + "{truncated\"");
    }

    @Test
    void emptyBodyIsNamed() {
        assertThat(excerpt.of("")).isEqualTo("(empty body)");
        assertThat(excerpt.of(" \n ")).isEqualTo("(empty body)");
        assertThat(excerpt.of(null)).isEqualTo("(empty body)");
    }
}
