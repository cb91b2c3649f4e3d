package io.github.phrasetmmonitor.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The payloads two vendors document, checked as their endpoints check them, so that a stub ({@link VendorStub})
 * answers an invalid one as the vendor would (400) and a test can list what is wrong with one it recorded.
 * <ul>
 *   <li>PagerDuty Events API v2, "Send an Alert Event" (developer.pagerduty.com/docs/events-API-v2/trigger-events):
 *       routing_key is the 32-character Integration Key; event_action is trigger, acknowledge or resolve; dedup_key
 *       at most 255 characters, and what an acknowledge or resolve refers to; a trigger's payload has summary (at
 *       most 1024 characters), source and severity (critical, error, warning, info), an ISO-8601 timestamp if
 *       any, custom_details an object if any. Taken: 202 with status success and the dedup_key; invalid: 400 with
 *       status "invalid event" and the errors.</li>
 *   <li>Microsoft Teams Workflows, "Post to a channel when a webhook request is received"
 *       (learn.microsoft.com, "Create incoming webhooks with Workflows for Microsoft Teams"): a message, type
 *       message, whose attachments are Adaptive Cards (contentType application/vnd.microsoft.card.adaptive,
 *       content.type AdaptiveCard, a content.version, a content.body of elements that each have a type; a TextBlock
 *       has text, a FactSet facts of title and value). Taken: 202 Accepted.</li>
 * </ul>
 */
public final class VendorPayloads {

    public static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");
    private static final Set<String> ACTIONS = Set.of("trigger", "acknowledge", "resolve");
    private static final ObjectMapper JSON = new ObjectMapper();

    private VendorPayloads() {
    }

    public static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    /** What is wrong with an event for PagerDuty's Events API v2, in its words where known; empty when valid. */
    public static List<String> pagerDutyViolations(String body) {
        List<String> errors = new ArrayList<>();
        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (IOException e) {
            return List.of("Event object is not valid JSON: " + e.getMessage());
        }
        if (event == null || !event.isObject()) {
            return List.of("Event object is not a JSON object");
        }
        JsonNode key = event.get("routing_key");
        if (key == null || !key.isTextual()) {
            errors.add("'routing_key' is missing or blank");
        } else if (key.asText().length() != 32) {
            errors.add("Length of 'routing_key' is incorrect (should be 32 characters)");
        }
        String action = text(event, "event_action");
        if (!ACTIONS.contains(action)) {
            errors.add("'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or"
                    + " 'resolve')");
        }
        JsonNode dedup = event.get("dedup_key");
        if (dedup != null && (!dedup.isTextual() || dedup.asText().length() > 255)) {
            errors.add("'dedup_key' must be a string of at most 255 characters");
        }
        if (("acknowledge".equals(action) || "resolve".equals(action)) && (dedup == null || dedup.asText().isBlank())) {
            errors.add("'dedup_key' is missing or blank");
        }
        if ("trigger".equals(action)) {
            JsonNode payload = event.get("payload");
            if (payload == null || !payload.isObject()) {
                errors.add("'payload' is missing or not an object");
            } else {
                String summary = text(payload, "summary");
                if (summary.isBlank()) {
                    errors.add("'payload.summary' is missing or blank");
                } else if (summary.length() > 1024) {
                    errors.add("'payload.summary' is longer than 1024 characters");
                }
                if (text(payload, "source").isBlank()) {
                    errors.add("'payload.source' is missing or blank");
                }
                if (!SEVERITIES.contains(text(payload, "severity"))) {
                    errors.add("'payload.severity' is invalid (must be one of the following: 'critical', 'warning',"
                            + " 'error' or 'info')");
                }
                if (payload.has("timestamp")) {
                    try {
                        OffsetDateTime.parse(text(payload, "timestamp"));
                    } catch (DateTimeParseException e) {
                        errors.add("'payload.timestamp' is not an ISO-8601 timestamp");
                    }
                }
                if (payload.has("custom_details") && !payload.get("custom_details").isObject()) {
                    errors.add("'payload.custom_details' is not an object");
                }
                for (String field : List.of("component", "group", "class")) {
                    if (payload.has(field) && !payload.get(field).isTextual()) {
                        errors.add("'payload." + field + "' is not a string");
                    }
                }
            }
        }
        return errors;
    }

    /** PagerDuty's answer to an event: 202 with its dedup_key, or 400 listing what is wrong. */
    public static VendorStub.Answer pagerDutyAnswer(VendorStub.Request request) {
        List<String> errors = pagerDutyViolations(request.body());
        ObjectNode answer = JSON.createObjectNode();
        if (errors.isEmpty()) {
            answer.put("status", "success").put("message", "Event processed")
                    .put("dedup_key", json(request.body()).path("dedup_key").asText());
            return VendorStub.Answer.of(202, answer.toString());
        }
        answer.put("status", "invalid event").put("message", "Event object is invalid");
        errors.forEach(answer.putArray("errors")::add);
        return VendorStub.Answer.of(400, answer.toString());
    }

    /** What is wrong with a message for a Teams workflow's webhook trigger; empty when valid. */
    public static List<String> teamsViolations(String body) {
        List<String> errors = new ArrayList<>();
        JsonNode message;
        try {
            message = JSON.readTree(body);
        } catch (IOException e) {
            return List.of("not valid JSON: " + e.getMessage());
        }
        if (message == null || !message.isObject()) {
            return List.of("not a JSON object");
        }
        if (!"message".equals(text(message, "type"))) {
            errors.add("type is not 'message'");
        }
        JsonNode attachments = message.get("attachments");
        if (attachments == null || !attachments.isArray() || attachments.isEmpty()) {
            errors.add("attachments is not a non-empty array");
            return errors;
        }
        for (JsonNode attachment : attachments) {
            if (!"application/vnd.microsoft.card.adaptive".equals(text(attachment, "contentType"))) {
                errors.add("an attachment's contentType is not application/vnd.microsoft.card.adaptive");
            }
            JsonNode card = attachment.get("content");
            if (card == null || !card.isObject()) {
                errors.add("an attachment has no content object");
                continue;
            }
            if (!"AdaptiveCard".equals(text(card, "type"))) {
                errors.add("content.type is not AdaptiveCard");
            }
            if (!text(card, "version").matches("1\\.[0-9]")) {
                errors.add("content.version is not an Adaptive Card version such as 1.4");
            }
            JsonNode elements = card.get("body");
            if (elements == null || !elements.isArray() || elements.isEmpty()) {
                errors.add("content.body is not a non-empty array");
                continue;
            }
            for (JsonNode element : elements) {
                String type = text(element, "type");
                if (type.isBlank()) {
                    errors.add("an element of content.body has no type");
                } else if (type.equals("TextBlock") && text(element, "text").isBlank()) {
                    errors.add("a TextBlock has no text");
                } else if (type.equals("FactSet")) {
                    JsonNode facts = element.get("facts");
                    if (facts == null || !facts.isArray() || facts.isEmpty()) {
                        errors.add("a FactSet has no facts");
                    } else {
                        facts.forEach(fact -> {
                            if (!fact.path("title").isTextual() || !fact.path("value").isTextual()) {
                                errors.add("a fact has no title or value");
                            }
                        });
                    }
                }
            }
        }
        return errors;
    }

    /** A workflow's answer: 202 Accepted, or 400 naming what is wrong. */
    public static VendorStub.Answer teamsAnswer(VendorStub.Request request) {
        List<String> errors = teamsViolations(request.body());
        if (errors.isEmpty()) {
            return VendorStub.Answer.of(202, "");
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.putObject("error").put("code", "InvalidRequestContent").put("message", String.join("; ", errors));
        return VendorStub.Answer.of(400, answer.toString());
    }

    /** Every text of the card's elements and facts, for "the TM name appears in it". */
    public static List<String> cardTexts(String body) {
        List<String> texts = new ArrayList<>();
        for (JsonNode element : json(body).path("attachments").path(0).path("content").path("body")) {
            if (element.has("text")) {
                texts.add(element.get("text").asText());
            }
            element.path("facts").forEach(fact -> texts.add(fact.path("title").asText() + ": "
                    + fact.path("value").asText()));
        }
        return texts;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? "" : value.asText();
    }
}
