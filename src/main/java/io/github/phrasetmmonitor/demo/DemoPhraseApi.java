package io.github.phrasetmmonitor.demo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The demo profile's simulated Phrase API: five translation memories, some OK, one still importing (since 90 seconds
 * before the demo started: stuck, with the demo's monitor.stuck-after=1m), one whose TMX import failed, one that
 * never ran a task. The failed task's id carries the demo's start time, so every demo run shows a fresh failure being
 * detected and alerted once.
 */
public final class DemoPhraseApi {

    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, String> lastTasks = new LinkedHashMap<>();

    public DemoPhraseApi() {
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String created = started.minusSeconds(90).toString();
        names.put("demoMarketing", "Marketing EN-DE");
        lastTasks.put("demoMarketing", finished("imp-1001", created, ",\"acceptedSegmentsCount\":1200"));
        names.put("demoSupport", "Support EN-FR");
        lastTasks.put("demoSupport", finished("imp-1002", created,
                ",\"warnings\":[{\"code\":\"SEGMENT_SKIPPED\",\"message\":\"3 empty segments skipped\"}]"));
        names.put("demoDocs", "Product docs EN-JA");
        lastTasks.put("demoDocs", "{\"status\":\"RUNNING\",\"asyncRequest\":{\"id\":\"imp-1003\","
                + "\"action\":\"IMPORT_TMX\",\"dateCreated\":\"" + created + "\"}}");
        names.put("demoLegal", "Legal EN-DE");
        lastTasks.put("demoLegal", "{\"status\":\"ERROR\",\"lastTaskError\":\"Import of legal-2026.tmx failed\","
                + "\"asyncRequest\":{\"id\":\"imp-" + started.getEpochSecond() + "\",\"action\":\"IMPORT_TMX\","
                + "\"dateCreated\":\"" + created + "\",\"asyncResponse\":{\"dateCreated\":\"" + started + "\","
                + "\"errorCode\":\"TMX_INVALID\",\"errorDesc\":\"The TMX file is not well-formed XML\","
                + "\"errorDetails\":[{\"code\":\"XML_PARSE\",\"message\":\"line 4711: element <tuv> not closed\"}]}}}");
        names.put("demoFresh", "New market EN-PT");
    }

    public void translationMemory(Exchange exchange) {
        String uid = exchange.getMessage().getHeader("uid", String.class);
        String name = names.get(uid);
        if (name == null) {
            answer(exchange.getMessage(), 404, "{\"errorCode\":\"ResourceNotFound\",\"errorDescription\":\"No TM " + uid + "\"}");
        } else {
            answer(exchange.getMessage(), 200, "{\"uid\":\"" + uid + "\",\"name\":\"" + name + "\",\"sourceLang\":\"en\"}");
        }
    }

    public void lastBackgroundTask(Exchange exchange) {
        String uid = exchange.getMessage().getHeader("uid", String.class);
        String task = lastTasks.get(uid);
        if (task == null) {
            answer(exchange.getMessage(), 404, "{\"errorCode\":\"ResourceNotFound\",\"errorDescription\":\"No task\"}");
        } else {
            answer(exchange.getMessage(), 200, task);
        }
    }

    private static String finished(String id, String created, String responseFields) {
        return "{\"status\":\"OK\",\"asyncRequest\":{\"id\":\"" + id + "\",\"action\":\"IMPORT_TMX\",\"dateCreated\":\""
                + created + "\",\"asyncResponse\":{\"dateCreated\":\"" + created + "\"" + responseFields + "}}}";
    }

    private static void answer(Message message, int status, String json) {
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(json);
    }
}
