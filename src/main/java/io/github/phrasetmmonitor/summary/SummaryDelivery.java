package io.github.phrasetmmonitor.summary;

/** One summary to send: on {@code channel} to {@code destination} (its default: the webhook's name, the recipients). */
public record SummaryDelivery(String channel, String destination, SummaryReport report) {

    /** For log lines: "summary of 2026-12-01T00:00:00Z to 2026-12-08T00:00:00Z". */
    public String describe() {
        return "summary of " + report.from() + " to " + report.to();
    }
}
