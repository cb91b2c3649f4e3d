package io.github.phrasetmmonitor.classify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.model.BackgroundTasksTmDto;
import io.github.phrasetmmonitor.model.TransMemoryDto;
import io.github.phrasetmmonitor.text.SafeText;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskClassifierUnitTest {

    /** A plain mapper: unknown fields must be ignored by the DTOs themselves. */
    private final ObjectMapper mapper = new ObjectMapper();
    private final TaskClassifier classifier = new TaskClassifier(List.of("ERROR", "FAILED", "FAILURE"));
    private final TransMemoryDto tm = new TransMemoryDto("1", "tm-uid", "Glossary EN-DE", "en", List.of("de"), null, null);

    private TaskCheck check(String json) throws Exception {
        return classifier.classify(tm, mapper.readValue(json, BackgroundTasksTmDto.class));
    }

    private static String finished(String status, String responseFields) {
        return """
                {"status":"%s","asyncRequest":{"id":"task-1","action":"IMPORT_TMX",
                 "dateCreated":"2023-11-07T05:31:56+0000","asyncResponse":{%s}}}
                """.formatted(status, responseFields);
    }

    @Test
    void nullDocumentIsNoTask() throws Exception {
        assertThat(classifier.classify(tm, null).outcome()).isEqualTo(TaskOutcome.NO_TASK);
        assertThat(check("null").outcome()).isEqualTo(TaskOutcome.NO_TASK);
    }

    @Test
    void documentWithoutAsyncRequestIsNoTask() throws Exception {
        assertThat(check("{\"status\":\"OK\",\"lastTaskString\":\"\"}").outcome()).isEqualTo(TaskOutcome.NO_TASK);
    }

    @Test
    void errorCodeIsFailureEvenWhenStatusSaysOk() throws Exception {
        TaskCheck check = check(finished("OK", "\"errorCode\":\"TMX_INVALID\",\"errorDesc\":\"Broken TMX\""));

        assertThat(check.outcome()).isEqualTo(TaskOutcome.FAILED);
        assertThat(check.errorCode()).isEqualTo("TMX_INVALID");
        assertThat(check.errorDescription()).isEqualTo("Broken TMX");
        assertThat(check.taskId()).isEqualTo("task-1");
        assertThat(check.action()).isEqualTo("IMPORT_TMX");
    }

    /**
     * Issue 14, item 5: what the monitor reads of a task (routing rules, logs, the alert state) is bounded and
     * cleaned; the outcome is decided on what Phrase sent, so a failure sign made only of control characters still
     * counts.
     */
    @Test
    void whatIsReadOfATaskIsBoundedButItIsClassifiedOnWhatPhraseSent() throws Exception {
        String hostile = "\\u0000\\u202E\\r\\n"; // JSON escapes, as Phrase would send them
        String details = String.join(",", java.util.Collections.nCopies(50,
                "{\"code\":\"PARSE\",\"message\":\"" + "d".repeat(5_000) + "\"}"));
        TaskCheck check = classifier.classify(
                new TransMemoryDto("1", "tm-uid", "Legal\u0000\u202E\r\n" + "N".repeat(100_000), "en", List.of(), null,
                        null),
                mapper.readValue("""
                        {"status":"ER%1$sROR","lastTaskError":"L%1$s%2$s","asyncRequest":{"id":"%3$s",
                         "action":"IMPORT%1$s_TMX","asyncResponse":{"errorCode":"%1$s","errorDesc":"Broken%1$sTMX%2$s",
                         "errorDetails":[%4$s]}}}
                        """.formatted(hostile, "e".repeat(100_000), "t".repeat(1_000), details),
                        BackgroundTasksTmDto.class));

        assertThat(check.outcome()).isEqualTo(TaskOutcome.FAILED);
        assertThat(check.tmName()).hasSize(SafeText.NAME).startsWith("Legal NNN");
        assertThat(check.status()).isEqualTo("ER ROR");
        assertThat(check.action()).isEqualTo("IMPORT _TMX");
        assertThat(check.errorCode()).isEmpty();
        assertThat(check.taskId()).hasSize(SafeText.ID);
        assertThat(check.errorDescription()).hasSize(SafeText.ERROR_TEXT).startsWith("Broken \nTMXeee");
        assertThat(check.lastTaskError()).hasSize(SafeText.ERROR_TEXT).startsWith("L \neee");
        assertThat(check.errorMessages()).hasSize(SafeText.ERROR_DETAILS)
                .allSatisfy(message -> assertThat(message).hasSize(SafeText.ERROR_DETAIL));
    }

    @Test
    void errorDetailsAloneAreFailure() throws Exception {
        TaskCheck check = check(finished("OK",
                "\"errorDetails\":[{\"code\":\"PARSE\",\"message\":\"line 12\"},{\"code\":\"ENCODING\",\"message\":\" \"}]"));

        assertThat(check.outcome()).isEqualTo(TaskOutcome.FAILED);
        assertThat(check.errorMessages()).containsExactly("line 12", "ENCODING");
    }

    @Test
    void lastTaskErrorIsFailureEvenWithoutAsyncRequest() throws Exception {
        TaskCheck check = check("{\"status\":\"OK\",\"lastTaskError\":\"Import failed\"}");

        assertThat(check.outcome()).isEqualTo(TaskOutcome.FAILED);
        assertThat(check.lastTaskError()).isEqualTo("Import failed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"failed", "Failure", " ERROR "})
    void failedStatusMatchesCaseInsensitively(String status) throws Exception {
        assertThat(check(finished(status, "")).outcome()).isEqualTo(TaskOutcome.FAILED);
    }

    @Test
    void unfinishedTaskWithoutFailureSignIsRunning() throws Exception {
        String json = "{\"status\":\"RUNNING\",\"asyncRequest\":{\"id\":\"task-1\",\"action\":\"IMPORT_TMX\"}}";

        assertThat(check(json).outcome()).isEqualTo(TaskOutcome.RUNNING);
    }

    @Test
    void warningsWithoutErrorsAreOkWithWarnings() throws Exception {
        TaskCheck check = check(finished("OK",
                "\"warnings\":[{\"code\":\"SEGMENT_SKIPPED\",\"message\":\"2 segments skipped\"}]"));

        assertThat(check.outcome()).isEqualTo(TaskOutcome.OK_WITH_WARNINGS);
        assertThat(check.warningMessages()).containsExactly("2 segments skipped");
    }

    @Test
    void finishedTaskWithoutErrorsOrWarningsIsOk() throws Exception {
        assertThat(check(finished("OK", "\"acceptedSegmentsCount\":120,\"warnings\":[]")).outcome())
                .isEqualTo(TaskOutcome.OK);
    }

    @Test
    void blankErrorCodeAndLastTaskErrorAreNotFailures() throws Exception {
        String json = """
                {"status":"OK","lastTaskError":"  ","asyncRequest":{"id":"task-1",
                 "asyncResponse":{"errorCode":"  ","errorDetails":[]}}}
                """;

        assertThat(check(json).outcome()).isEqualTo(TaskOutcome.OK);
    }

    @Test
    void unknownFieldsAndUnseenActionsParse() throws Exception {
        String json = """
                {"status":"OK","brandNewTopLevel":{"x":[1,2]},
                 "asyncRequest":{"id":"task-9","action":"BRAND_NEW_ACTION","futureField":true,
                  "dateCreated":"2023-11-07T05:31:56Z",
                  "asyncResponse":{"errorCode":"NEW_ERROR","somethingElse":"y",
                   "errorDetails":[{"code":"C","message":"m","extra":1}]}}}
                """;

        TaskCheck check = check(json);

        assertThat(check.outcome()).isEqualTo(TaskOutcome.FAILED);
        assertThat(check.action()).isEqualTo("BRAND_NEW_ACTION");
        assertThat(check.createdAt()).isEqualTo(OffsetDateTime.of(2023, 11, 7, 5, 31, 56, 0, ZoneOffset.UTC));
    }

    @Test
    void unreadableDateDoesNotHideTheFailure() throws Exception {
        TaskCheck check = check("""
                {"status":"ERROR","asyncRequest":{"id":"task-1","dateCreated":"yesterday-ish",
                 "asyncResponse":{"errorCode":"TMX_INVALID"}}}
                """);

        assertThat(check.outcome()).isEqualTo(TaskOutcome.FAILED);
        assertThat(check.createdAt()).isNull();
        assertThat(check.errorCode()).isEqualTo("TMX_INVALID");
    }

    @Test
    void taskWithoutIdGetsStableFingerprint() throws Exception {
        String first = "{\"status\":\"ERROR\",\"lastTaskError\":\"Disk full\",\"asyncRequest\":{\"action\":\"IMPORT_TMX\"}}";
        String other = "{\"status\":\"ERROR\",\"lastTaskError\":\"Quota exceeded\",\"asyncRequest\":{\"action\":\"IMPORT_TMX\"}}";
        String blankId = "{\"status\":\"ERROR\",\"lastTaskError\":\"Disk full\",\"asyncRequest\":{\"id\":\" \"}}";

        String id = check(first).taskId();

        assertThat(id).startsWith("unidentified-").hasSizeGreaterThan("unidentified-".length());
        assertThat(check(first).taskId()).isEqualTo(id);
        assertThat(check(blankId).taskId()).isEqualTo(id);
        assertThat(check(other).taskId()).startsWith("unidentified-").isNotEqualTo(id);
    }
}
