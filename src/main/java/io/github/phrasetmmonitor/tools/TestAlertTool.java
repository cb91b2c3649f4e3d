package io.github.phrasetmmonitor.tools;

import io.github.phrasetmmonitor.alert.AlertChannel;
import io.github.phrasetmmonitor.alert.EmailChannel;
import io.github.phrasetmmonitor.channel.ChannelSettings;
import io.github.phrasetmmonitor.channel.DeclaredChannel;
import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.alert.SlackChannel;
import io.github.phrasetmmonitor.settings.MonitorSettings;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.IncidentState;
import io.github.phrasetmmonitor.state.Routing;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * {@code test-alert}: one test notice, marked as such ({@link TestNotices}), to every destination the monitor may
 * send to: the default Slack webhook and every named webhook that is configured or that a routing rule names, the
 * default email recipients and every recipient list a rule sets, for each channel with settings. Each goes through
 * the real send route of its channel ({@code send-slack-alert}, {@code send-email-alert}), so the real sender, its
 * TLS and proxy settings and the one retry rule of every channel ({@code alert-delivery}) apply. The monitor is a
 * {@link Deployment#dryRun}: what the send routes record goes to its scratch journal, which is deleted, so no test
 * notice is ever recorded as an alert. Exit code 1 when a destination did not take its notice.
 */
final class TestAlertTool {

    /** One place to send the test notice to, and why it is on the list. */
    private record Destination(String channel, String destination, String source) {
    }

    private final Deployment deployment;

    TestAlertTool(Deployment deployment) {
        this.deployment = deployment;
    }

    int run(PrintStream out, PrintStream err) throws Exception {
        try (Deployment.DryRun monitor = deployment.dryRun(new TestNoticeConfiguration())) {
            CamelContext context = monitor.start();
            Deployment.startDirectRoutes(context);
            IncidentState scratch = context.getRegistry().lookupByNameAndType("incidentState", IncidentState.class);
            ProducerTemplate producer = context.createProducerTemplate();
            List<Destination> destinations = destinations(context);
            SlackNames slack = SlackNames.of(context.getPropertiesComponent());
            int took = 0;
            String stamp = Long.toString(System.currentTimeMillis());
            for (int i = 0; i < destinations.size(); i++) {
                Destination target = destinations.get(i);
                Routing routing = new Routing(List.of(target.channel()), Map.of(target.channel(),
                        target.destination()));
                FailureFacts facts = new FailureFacts("Test notice", "test-alert-" + (i + 1), "test-" + stamp,
                        "TEST", null, null, null, null, List.of(), null);
                scratch.failed(facts, routing);
                Incident incident = scratch.find(facts.tmUid(), facts.taskId()).orElseThrow();
                Notice notice = new Notice(Notice.Kind.ALERT, target.channel(), target.destination(), null,
                        List.of(incident));
                Exchange sent = producer.send("direct:deliver-notice", exchange -> {
                    exchange.setVariable("notice", notice);
                    exchange.getMessage().setBody(notice);
                });
                boolean delivered = scratch.find(incident.key()).map(now -> now.alerted().containsKey(
                        target.channel())).orElse(false);
                String what = String.format("%-6s %s (%s): ", target.channel(), shown(target, slack), target.source());
                if (delivered) {
                    took++;
                    String outcome = sent.getVariable("deliveryNote", "", String.class);
                    out.println(what + "took the test notice" + outcome + resolveOnTheChannel(producer, scratch,
                            incident, target));
                } else {
                    out.println(what + "NOT delivered: " + failure(target.channel(), sent));
                }
            }
            out.println("test-alert: " + took + " of " + destinations.size() + " destination"
                    + (destinations.size() == 1 ? "" : "s") + " took the test notice; nothing was recorded as an"
                    + " alert");
            return took == destinations.size() ? 0 : 1;
        }
    }

    /**
     * A channel of routes/ other than Slack and email may keep the test notice open (a PagerDuty alert that pages,
     * an Alertmanager alert): its resolved notice closes it. Slack and email get none: people read those.
     */
    private static String resolveOnTheChannel(ProducerTemplate producer, IncidentState scratch, Incident incident,
                                              Destination target) {
        if (SlackChannel.NAME.equals(target.channel()) || EmailChannel.NAME.equals(target.channel())) {
            return "";
        }
        Incident over = scratch.find(incident.key()).orElse(incident).withResolution(new Incident.Resolution(
                incident.taskId(), "TEST", null, java.time.Instant.now(), Set.of()));
        Notice resolved = new Notice(Notice.Kind.RESOLVED, target.channel(), target.destination(), null,
                List.of(over));
        Exchange sent = producer.send("direct:deliver-notice", exchange -> {
            exchange.setVariable("notice", resolved);
            exchange.getMessage().setBody(resolved);
        });
        return sent.getVariable("notDelivered") == null ? ", and its resolved notice, which closes it there"
                : "; its resolved notice was NOT delivered: close the test alert there by hand";
    }

    /**
     * Every destination of the channels with settings: for Slack the default webhook, each named webhook configured
     * (as the start-up summary finds them) and each a routing rule names; for email alert.email.to and each
     * recipient list a rule sets. A rule's value that is a placeholder ({@code {{...}}}) is the setting itself.
     */
    private List<Destination> destinations(CamelContext context) {
        MonitorSettings settings = context.getRegistry().lookupByNameAndType("monitorSettings", MonitorSettings.class);
        Set<String> channels = settings.configuredChannels();
        List<RouteFile> routes = deployment.routeFiles(context).stream()
                .map(file -> RouteFile.read(file, deployment.shortName(file))).toList();
        Map<String, Destination> found = new LinkedHashMap<>();
        if (channels.contains(SlackChannel.NAME)) {
            SlackChannel slack = new SlackChannel();
            SlackNames names = SlackNames.of(context.getPropertiesComponent());
            add(found, SlackChannel.NAME, Routing.DEFAULT_WEBHOOK, names.key(Routing.DEFAULT_WEBHOOK));
            for (String name : names.configuredNames()) {
                add(found, SlackChannel.NAME, slack.destination(name), names.key(name));
            }
            for (RouteFile file : routes) {
                for (RouteFile.Constant rule : file.constants("slackWebhook")) {
                    if (!rule.value().contains("{{")) {
                        add(found, SlackChannel.NAME, slack.destination(rule.value()), "routing rule at "
                                + rule.file() + ":" + rule.line());
                    }
                }
            }
        }
        if (channels.contains(EmailChannel.NAME)) {
            EmailChannel email = new EmailChannel(context.getPropertiesComponent().resolveProperty("alert.email.to")
                    .orElse(""));
            add(found, EmailChannel.NAME, email.defaultDestination(), "alert.email.to");
            for (RouteFile file : routes) {
                for (RouteFile.Constant rule : file.constants("emailTo")) {
                    if (!rule.value().contains("{{")) {
                        add(found, EmailChannel.NAME, email.destination(rule.value()), "routing rule at "
                                + rule.file() + ":" + rule.line());
                    }
                }
            }
        }
        // the channels of routes/: the channel's own destination, and each a routing rule names
        ChannelSettings declared = context.getRegistry().lookupByNameAndType("channelSettings", ChannelSettings.class);
        for (String channel : channels) {
            if (SlackChannel.NAME.equals(channel) || EmailChannel.NAME.equals(channel)) {
                continue;
            }
            DeclaredChannel own = new DeclaredChannel(channel, declared);
            add(found, channel, own.defaultDestination(), "alert." + channel + ".*");
            for (RouteFile file : routes) {
                for (RouteFile.Constant rule : file.constants(own.routingVariable())) {
                    if (!rule.value().contains("{{")) {
                        add(found, channel, own.destination(rule.value()), "routing rule at " + rule.file() + ":"
                                + rule.line());
                    }
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    /** The first reason a destination is on the list is the one shown. */
    private static void add(Map<String, Destination> found, String channel, String destination, String source) {
        found.putIfAbsent(channel + " " + destination, new Destination(channel, destination, source));
    }

    private static String shown(Destination target, SlackNames slack) {
        return SlackChannel.NAME.equals(target.channel()) ? slack.label(target.destination()) : target.destination();
    }

    /** Why the channel did not take it, in the channel's own words (never a webhook's URL). */
    private static String failure(String channel, Exchange sent) {
        Throwable failure = sent.getException() != null ? sent.getException()
                : sent.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            return "the channel did not confirm it";
        }
        AlertChannel judge = SlackChannel.NAME.equals(channel) ? new SlackChannel()
                : EmailChannel.NAME.equals(channel) ? new EmailChannel("")
                : new DeclaredChannel(channel, sent.getContext().getRegistry().lookupByNameAndType("channelSettings",
                        ChannelSettings.class));
        return judge.describe(failure);
    }

    /** The send routes compose the test notice instead of an alert. */
    private static final class TestNoticeConfiguration implements Consumer<CamelContext> {

        @Override
        public void accept(CamelContext context) {
            Deployment.replace(context, "slackAlerts", new TestNotices.Slack(SlackNames.of(
                    context.getPropertiesComponent())));
            Deployment.replace(context, "emailAlerts", new TestNotices.Email());
        }
    }
}
