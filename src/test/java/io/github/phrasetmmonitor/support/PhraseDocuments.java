package io.github.phrasetmmonitor.support;

/** lastBackgroundTask answers shaped like BackgroundTasksTmDto in the Phrase spec. */
public final class PhraseDocuments {

    private PhraseDocuments() {
    }

    public static String finished(String taskId, String status, String responseFields) {
        return "{\"status\":\"" + status + "\",\"finishedDataText\":\"done\",\"lastTaskString\":\"Import TMX\","
                + "\"asyncRequest\":{\"id\":\"" + taskId + "\",\"action\":\"IMPORT_TMX\","
                + "\"dateCreated\":\"2023-11-07T05:31:56+0000\",\"createdBy\":{\"userName\":\"pm\",\"role\":\"PROJECT_MANAGER\"},"
                + "\"asyncResponse\":{\"dateCreated\":\"2023-11-07T05:32:10Z\"" + responseFields + "}}}";
    }

    public static String ok(String taskId) {
        return finished(taskId, "OK", ",\"acceptedSegmentsCount\":120");
    }

    public static String withWarnings(String taskId) {
        return finished(taskId, "OK", ",\"warnings\":[{\"code\":\"SEGMENT_SKIPPED\",\"message\":\"2 segments skipped\"}]");
    }

    public static String failed(String taskId, String errorDescription) {
        return finished(taskId, "ERROR", ",\"errorCode\":\"TMX_INVALID\",\"errorDesc\":\"" + errorDescription + "\","
                + "\"errorDetails\":[{\"code\":\"PARSE\",\"message\":\"line 12: unexpected element\"}]");
    }

    public static String running(String taskId) {
        return "{\"status\":\"RUNNING\",\"asyncRequest\":{\"id\":\"" + taskId + "\",\"action\":\"IMPORT_TMX\","
                + "\"dateCreated\":\"2023-11-07T05:31:56Z\"}}";
    }

    /** A task still running (no asyncResponse) that Phrase created at {@code created}, with its own status string. */
    public static String runningSince(String taskId, java.time.Instant created, String status) {
        return "{\"status\":\"" + status + "\",\"asyncRequest\":{\"id\":\"" + taskId + "\",\"action\":\"IMPORT_TMX\","
                + "\"dateCreated\":\"" + created + "\"}}";
    }
}
