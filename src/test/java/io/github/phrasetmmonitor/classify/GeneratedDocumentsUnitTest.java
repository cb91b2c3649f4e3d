package io.github.phrasetmmonitor.classify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.phrasetmmonitor.alert.AlertTestData;
import io.github.phrasetmmonitor.alert.EmailAlertComposer;
import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.alert.SlackAlertComposer;
import io.github.phrasetmmonitor.model.BackgroundTasksTmDto;
import io.github.phrasetmmonitor.model.TransMemoryDto;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Property: no document shaped like the spec's BackgroundTasksTmDto makes classification throw. Thousands of
 * documents from a seeded Random (so a failure is reproducible): every field present, absent, null, of its type,
 * of the wrong type, empty, huge or hostile; unknown fields; nested objects in the same spirit. Each is unmarshalled
 * with Jackson into the model as the route does, then classified, and a failure composed for both channels.
 * Jackson may refuse a document (the route then logs one "unreadable answer" line), but only with a
 * JsonProcessingException, which the poll route handles.
 */
class GeneratedDocumentsUnitTest {

    private static final long SEED = 20260529L;
    private static final int DOCUMENTS = 5_000;

    private final ObjectMapper mapper = new ObjectMapper();
    private final TaskClassifier classifier = new TaskClassifier(List.of("ERROR", "FAILED", "FAILURE"));
    private final SlackAlertComposer slack = new SlackAlertComposer(AlertTestData.shippedTemplates());
    private final EmailAlertComposer email = new EmailAlertComposer(AlertTestData.shippedTemplates());
    private final TransMemoryDto tm = new TransMemoryDto(null, "tmFuzz", null, null, null, null, null);
    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private Random random;

    @Test
    void noGeneratedDocumentMakesClassificationThrow() throws Exception {
        random = new Random(SEED);
        int parsed = 0;
        int failed = 0;
        int refused = 0;
        for (int i = 0; i < DOCUMENTS; i++) {
            String document = mapper.writeValueAsString(backgroundTask());
            BackgroundTasksTmDto task;
            try {
                task = mapper.readValue(document, BackgroundTasksTmDto.class);
            } catch (JsonProcessingException unreadable) {
                refused++;
                continue;
            }
            parsed++;
            TaskCheck check = classifier.classify(tm, task);
            assertThat(check.outcome()).as(document).isNotNull();
            assertThat(check.taskId()).as(document).isNotBlank();
            check.errorMessages();
            check.warningMessages();
            check.createdAt();
            if (check.outcome() == TaskOutcome.FAILED) {
                failed++;
                assertThat(slack.compose(AlertTestData.alert("slack", check)).getText()).as(document).isNotBlank();
                Notice email = AlertTestData.alert("email", check);
                assertThat(this.email.subject(email)).as(document).doesNotContain("\r", "\n");
                this.email.text(email);
                this.email.html(email);
            }
        }
        assertThat(parsed).as("most documents parse, so the property is exercised").isGreaterThan(DOCUMENTS / 2);
        assertThat(failed).as("failures are among them").isGreaterThan(DOCUMENTS / 10);
        assertThat(refused).as("and so are documents Jackson refuses").isPositive();
    }

    private ObjectNode backgroundTask() {
        ObjectNode task = json.objectNode();
        maybe(task, "status", this::status);
        maybe(task, "finishedDataText", this::text);
        maybe(task, "asyncRequest", this::asyncRequest);
        maybe(task, "lastTaskString", this::text);
        maybe(task, "lastTaskOk", this::text);
        maybe(task, "lastTaskError", this::text);
        maybe(task, "lastTaskErrorHtml", this::text);
        unknownFields(task);
        return task;
    }

    private JsonNode asyncRequest() {
        ObjectNode request = json.objectNode();
        maybe(request, "id", this::text);
        maybe(request, "dateCreated", this::date);
        maybe(request, "action", () -> json.textNode(pick("IMPORT_TMX", "EXPORT_TMX", "REPLACE", "SOMETHING_NEW")));
        maybe(request, "createdBy", () -> {
            ObjectNode user = json.objectNode();
            maybe(user, "userName", this::text);
            maybe(user, "role", () -> json.textNode(pick("ADMIN", "PROJECT_MANAGER", "NEW_ROLE")));
            return user;
        });
        maybe(request, "project", () -> {
            ObjectNode project = json.objectNode();
            maybe(project, "uid", this::text);
            maybe(project, "name", this::text);
            return project;
        });
        maybe(request, "asyncResponse", this::asyncResponse);
        unknownFields(request);
        return request;
    }

    private JsonNode asyncResponse() {
        ObjectNode response = json.objectNode();
        maybe(response, "dateCreated", this::date);
        maybe(response, "errorCode", this::text);
        maybe(response, "errorDesc", this::text);
        maybe(response, "errorDetails", this::details);
        maybe(response, "warnings", this::details);
        maybe(response, "acceptedSegmentsCount", () -> json.numberNode(random.nextLong()));
        unknownFields(response);
        return response;
    }

    private JsonNode details() {
        ArrayNode details = json.arrayNode();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            if (random.nextInt(8) == 0) {
                details.addNull();
                continue;
            }
            ObjectNode detail = json.objectNode();
            maybe(detail, "code", this::text);
            maybe(detail, "message", this::text);
            maybe(detail, "args", () -> {
                ObjectNode args = json.objectNode();
                args.set("line", json.numberNode(random.nextInt()));
                args.set(text().asText("k"), text());
                return args;
            });
            details.add(detail);
        }
        return details;
    }

    /** Sets the field to a value of its type most of the time, else absent, null or a value of another type. */
    private void maybe(ObjectNode node, String field, Supplier<JsonNode> value) {
        int roll = random.nextInt(20);
        if (roll < 3) {
            return;
        }
        if (roll == 3) {
            node.putNull(field);
        } else if (roll == 4) {
            node.set(field, wrongType());
        } else {
            node.set(field, value.get());
        }
    }

    private JsonNode wrongType() {
        return switch (random.nextInt(6)) {
            case 0 -> json.numberNode(random.nextInt());
            case 1 -> json.booleanNode(random.nextBoolean());
            case 2 -> json.arrayNode().add(text());
            case 3 -> json.objectNode().set("x", text());
            case 4 -> json.numberNode(random.nextDouble());
            default -> json.textNode("");
        };
    }

    private JsonNode status() {
        return json.textNode(pick("OK", "ERROR", "error", " Failed ", "FAILURE", "RUNNING", "CANCELLED", "", "??"));
    }

    private JsonNode date() {
        return json.textNode(pick("2023-11-07T05:31:56Z", "2023-11-07T05:31:56+0000", "2023-11-07T05:31:56.123+02:00",
                "2023-11-07", "yesterday", "", "9999-99-99T99:99:99Z"));
    }

    private JsonNode text() {
        return switch (random.nextInt(7)) {
            case 0 -> json.textNode("");
            case 1 -> json.textNode("   ");
            case 2 -> json.textNode("<!channel> & <https://evil.example|x>\r\nBcc: x@evil.example");
            case 3 -> json.textNode("x".repeat(random.nextInt(20_000)));
            case 4 -> json.textNode(randomUnicode());
            default -> json.textNode("task-" + random.nextInt(1000));
        };
    }

    private String randomUnicode() {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            int codePoint = random.nextInt(0x2FFFF);
            if (Character.isValidCodePoint(codePoint) && !Character.isSurrogate((char) codePoint)) {
                text.appendCodePoint(codePoint);
            }
        }
        return text.toString();
    }

    private void unknownFields(ObjectNode node) {
        if (random.nextInt(4) == 0) {
            node.set("future" + random.nextInt(100), wrongType());
        }
    }

    private String pick(String... values) {
        return values[random.nextInt(values.length)];
    }
}
