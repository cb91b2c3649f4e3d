package io.github.phrasetmmonitor.tools;

import io.github.phrasetmmonitor.silence.Silences;
import io.github.phrasetmmonitor.alert.AlertDeliveryException;
import io.github.phrasetmmonitor.alert.EmailAlertComposer;
import io.github.phrasetmmonitor.channel.ChannelMessages;
import io.github.phrasetmmonitor.config.EngineRoutes;
import io.github.phrasetmmonitor.channel.ChannelSettings;
import io.github.phrasetmmonitor.alert.EmailChannel;
import io.github.phrasetmmonitor.alert.IncidentIntake;
import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.alert.SlackAlertComposer;
import io.github.phrasetmmonitor.alert.SlackChannel;
import io.github.phrasetmmonitor.classify.TaskCheck;
import io.github.phrasetmmonitor.settings.SettingsCatalog;
import io.github.phrasetmmonitor.logging.Causes;
import io.github.phrasetmmonitor.logging.OneLine;
import io.github.phrasetmmonitor.model.TransMemoryDto;
import io.github.phrasetmmonitor.phrase.PhraseApiException;
import io.github.phrasetmmonitor.phrase.TranslationMemoryDirectory;
import io.github.phrasetmmonitor.state.FailureFacts;
import io.github.phrasetmmonitor.state.Incident;
import io.github.phrasetmmonitor.state.Routing;
import com.slack.api.model.Message;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.MessageHistory;
import org.apache.camel.NamedNode;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.OtherwiseDefinition;

/**
 * {@code explain}: what the monitor would do with one TM's last task, before a restart puts a new rule to work. The
 * task is fetched live (a TM uid, with the configured credentials) or read from a saved {@code lastBackgroundTask}
 * answer, and goes through the real routes: {@code check-translation-memory} classifies it and, for a failure, the
 * routing rules ({@code route-incident}) decide who is told. The report names the outcome, the rule that matched
 * (its id or description, else its place in the file and its condition), the channels and recipients, and the Slack
 * and email text as the templates render them. Nothing is sent and nothing is recorded: the monitor is built as a
 * {@link Deployment#dryRun}, no delivery route starts, and the routes' {@code incidents} bean is a
 * {@link DryRunIntake}.
 */
final class ExplainTool {

    /** What to explain: a live TM, or a saved task with the TM's name. */
    record Request(String tmUid, Optional<Path> savedTask, String tmName) {

        static Optional<Request> parse(List<String> args) {
            if (args.size() == 1 && !args.get(0).startsWith("-")) {
                return Optional.of(new Request(args.get(0), Optional.empty(), null));
            }
            Path task = null;
            String name = null;
            String uid = "saved-task";
            for (int i = 0; i + 1 < args.size(); i += 2) {
                switch (args.get(i)) {
                    case "--task" -> task = Path.of(args.get(i + 1));
                    case "--tm-name" -> name = args.get(i + 1);
                    case "--tm-uid" -> uid = args.get(i + 1);
                    default -> {
                        return Optional.empty();
                    }
                }
            }
            if (args.size() % 2 != 0 || task == null || name == null) {
                return Optional.empty();
            }
            return Optional.of(new Request(uid, Optional.of(task), name));
        }
    }

    private static final String RULES_ROUTE = "route-incident";

    private final Deployment deployment;

    ExplainTool(Deployment deployment) {
        this.deployment = deployment;
    }

    int run(Request request, PrintStream out, PrintStream err) {
        String savedJson = null;
        if (request.savedTask().isPresent()) {
            try {
                savedJson = Files.readString(request.savedTask().get(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("explain: cannot read " + request.savedTask().get() + " (" + e.getClass().getSimpleName()
                        + ")");
                return 1;
            }
        }
        DryRunConfiguration dryRun = new DryRunConfiguration();
        try (Deployment.DryRun monitor = deployment.dryRun(dryRun)) {
            CamelContext context = monitor.start();
            if (savedJson != null) {
                useSavedTask(context, request, savedJson);
            }
            Deployment.startDirectRoutes(context);
            Exchange checked = context.createProducerTemplate().send("direct:check-translation-memory",
                    exchange -> exchange.getMessage().setBody(request.tmUid()));
            return report(context, request, checked, dryRun.intake, out, err);
        } catch (Exception e) {
            err.println("explain: " + io.github.phrasetmmonitor.logging.StartupFailure.describe(e));
            return 1;
        }
    }

    /**
     * The saved answer stands in for Phrase's: the TM's details are known (as from the account's TM list), and the
     * GET of lastBackgroundTask answers the saved JSON with HTTP 200, which route fetch-last-background-task then
     * reads as it reads a live answer.
     */
    private static void useSavedTask(CamelContext context, Request request, String json) throws Exception {
        context.getRegistry().lookupByNameAndType("translationMemories", TranslationMemoryDirectory.class)
                .remember(request.tmUid(), new TransMemoryDto(null, request.tmUid(), request.tmName(), null,
                        List.of(), null, null));
        AdviceWith.adviceWith(context, "fetch-last-background-task", route -> route
                .weaveByToUri("direct:phrase-get").replace().process(exchange -> {
                    exchange.getMessage().setBody(json);
                    exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                }));
    }

    private int report(CamelContext context, Request request, Exchange checked, DryRunIntake intake,
                       PrintStream out, PrintStream err) {
        Throwable failure = checked.getException() != null ? checked.getException()
                : checked.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (intake.refused() != null) {
            failure = intake.refused();
        }
        if (failure != null) {
            err.println("explain: TM " + request.tmUid() + " could not be explained: " + reason(failure));
            return 1;
        }
        Object outcome = checked.getVariable("outcome");
        TaskCheck check = intake.check() != null ? intake.check()
                : checked.getMessage().getBody(TaskCheck.class);
        out.println("TM " + request.tmUid() + " \"" + checked.getVariable("tmName", String.class) + "\""
                + (check == null || check.task() == null ? "" : ": last task " + check.taskId()
                + (check.action() == null ? "" : " (" + check.action() + ")") + ", status " + check.status()));
        out.println("Outcome: " + outcome + (intake.stuck() ? ", running longer than monitor.stuck-after: alerted as a"
                + " stuck task" : ""));
        if (intake.routing() == null) {
            out.println(switch (String.valueOf(outcome)) {
                case "OK", "OK_WITH_WARNINGS" -> "Nothing is alerted. A task that finished without error resolves an"
                        + " alerted failure of an earlier task of this TM: the channels that had it get a resolved"
                        + " notice.";
                case "RUNNING" -> "Nothing is alerted while the task runs (until monitor.stuck-after, when that is"
                        + " set).";
                default -> "Nothing is alerted: the TM has no task.";
            });
            silences(request.tmUid(), checked.getVariable("tmName", String.class), Incident.TASK_FAILED, out);
            out.println("Dry run: nothing was sent or recorded.");
            return 0;
        }
        Routing routing = intake.routing();
        List<String> matched = matchedRules(checked);
        out.println("Routing rule: " + (matched.isEmpty() ? "none matched; the defaults apply"
                : String.join(" > ", matched)));
        out.println("Channels: " + String.join(", ", routing.channels()));
        for (String channel : routing.channels()) {
            out.println("  " + channel + ": " + destination(context, channel, routing.destination(channel)));
        }
        Incident incident = Incident.detected(intake.stuck() ? FailureFacts.stuck(check) : FailureFacts.of(check),
                routing, Instant.now());
        silences(request.tmUid(), checked.getVariable("tmName", String.class), incident.kind(), out);
        for (String channel : routing.channels()) {
            Notice notice = new Notice(Notice.Kind.ALERT, channel, routing.destination(channel), null,
                    List.of(incident));
            if (SlackChannel.NAME.equals(channel)) {
                out.println("--- Slack message to " + SlackNames.of(context.getPropertiesComponent())
                        .label(notice.destination()) + " ---");
                slackText(context.getRegistry().lookupByNameAndType("slackAlerts", SlackAlertComposer.class)
                        .compose(notice)).forEach(out::println);
            } else if (EmailChannel.NAME.equals(channel)) {
                EmailAlertComposer email = context.getRegistry().lookupByNameAndType("emailAlerts",
                        EmailAlertComposer.class);
                out.println("--- Email to " + notice.destination() + " ---");
                out.println("Subject: " + email.subject(notice));
                out.println();
                out.println(email.text(notice).stripTrailing());
            } else {
                // a channel of routes/: its own template, as it would be sent, its secrets masked
                ChannelMessages messages = context.getRegistry().lookupByNameAndType("channelMessages",
                        ChannelMessages.class);
                ChannelSettings settings = context.getRegistry().lookupByNameAndType("channelSettings",
                        ChannelSettings.class);
                out.println("--- " + notice.channelTitle() + " message to " + notice.destination() + " ---");
                try {
                    out.println(settings.mask(channel, notice.destination(), messages.render(notice)).stripTrailing());
                } catch (AlertDeliveryException notSet) {
                    out.println("NOT delivered: " + notSet.getMessage());
                }
            }
        }
        out.println("---");
        out.println("Dry run: nothing was sent or recorded.");
        return 0;
    }

    /**
     * The maintenance windows and ad-hoc silences that match an incident of {@code kind} of this TM, now or later,
     * and whether one holds its notices back now: read from the deployment's silences file and its real state (not
     * the dry run's scratch one).
     */
    private void silences(String tmUid, String tmName, String kind, PrintStream out) {
        List<AutoCloseable> opened = new java.util.ArrayList<>();
        try {
            Silences silences = SilenceTool.silences(deployment, Clock.systemUTC(), opened);
            Instant now = Instant.now();
            List<String> schedule = silences.schedule(tmUid, tmName, kind, now);
            String what = Incident.TASK_STUCK.equals(kind) ? "a stuck task" : "a failed task";
            out.println("Silences of " + what + " of this TM:" + (schedule.isEmpty() ? " none" : ""));
            schedule.forEach(line -> out.println("  " + line));
            silences.silencing(tmUid, tmName, kind, now).ifPresent(silencing -> out.println("Silenced now by "
                    + silencing.by() + " until " + silencing.until() + ": recorded and counted, not delivered; then "
                    + (silences.afterSilence() == Silences.AfterSilence.DROP
                    ? "dropped (alert.after-silence=drop)" : "sent if still open (alert.after-silence=tell)")));
        } catch (RuntimeException e) {
            out.println("Silences: cannot be read: " + io.github.phrasetmmonitor.logging.StartupFailure.describe(e));
        } finally {
            for (AutoCloseable resource : opened) {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // explained already
                }
            }
        }
    }

    /** Phrase's failures are worded for ops already (the call, the status, what Phrase said); others by their kind. */
    private static String reason(Throwable failure) {
        return OneLine.fold(Causes.find(failure, PhraseApiException.class).map(Throwable::getMessage)
                .orElseGet(() -> failure.getClass().getSimpleName() + ": " + failure.getMessage()));
    }

    /**
     * The rules that matched, outermost first: each {@code when} (or {@code otherwise}) of route route-incident whose
     * steps ran, named by its id or description when the rule has one, else by its place in the file and its
     * condition. Camel's message history says which steps ran; each knows the {@code when} it belongs to.
     */
    private static List<String> matchedRules(Exchange checked) {
        List<String> named = new ArrayList<>();
        List<NamedNode> seen = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<MessageHistory> history = checked.getProperty(Exchange.MESSAGE_HISTORY, List.class);
        if (history == null) {
            return named;
        }
        for (MessageHistory step : history) {
            if (!RULES_ROUTE.equals(step.getRouteId()) || step.getNode() == null) {
                continue;
            }
            List<NamedNode> rules = new ArrayList<>();
            for (NamedNode node = step.getNode(); node != null; node = node.getParent()) {
                // a step of a when has the choice as its parent; the when is the one whose steps hold it
                if (node.getParent() instanceof ChoiceDefinition choice) {
                    NamedNode step0 = node;
                    choice.getWhenClauses().stream().filter(when -> holds(when.getOutputs(), step0)).findFirst()
                            .ifPresentOrElse(when -> rules.add(0, when), () -> {
                                if (choice.getOtherwise() != null && holds(choice.getOtherwise().getOutputs(), step0)) {
                                    rules.add(0, choice.getOtherwise());
                                }
                            });
                }
            }
            for (NamedNode rule : rules) {
                if (seen.stream().noneMatch(known -> known == rule)) {
                    seen.add(rule);
                    named.add(describe(rule));
                }
            }
        }
        return named;
    }

    private static boolean holds(List<? extends NamedNode> steps, NamedNode step) {
        return steps.stream().anyMatch(output -> output == step);
    }

    private static String describe(NamedNode rule) {
        String place = rule.getLocation() == null ? "" : EngineRoutes.shortName(rule.getLocation())
                + (rule.getLineNumber() > 0 ? ":" + rule.getLineNumber() : "");
        String condition = rule instanceof org.apache.camel.model.BasicOutputExpressionNode when && when.getExpression() != null
                ? "when " + when.getExpression().getExpression() : "otherwise";
        String name = null;
        if (rule instanceof OptionalIdentifiedDefinition<?> identified) {
            if (identified.hasCustomIdAssigned()) {
                name = "'" + identified.getId() + "'";
            }
            if (identified.getDescription() != null && !identified.getDescription().isBlank()) {
                name = (name == null ? "" : name + ": ") + identified.getDescription().strip();
            }
        }
        return (name == null ? "" : name + " ") + "(" + (place.isEmpty() ? "" : place + ", ") + condition + ")";
    }

    /** The destination in words; for Slack, whether its webhook URL or channel is set (never the URL: a secret). */
    private static String destination(CamelContext context, String channel, String destination) {
        if (!SlackChannel.NAME.equals(channel)) {
            return destination;
        }
        SlackNames slack = SlackNames.of(context.getPropertiesComponent());
        return slack.label(destination) + " (" + slack.key(destination) + (slack.isSet(destination) ? " is set)"
                : " is NOT set: this alert would not be delivered)");
    }

    /** A Slack message as text: the notification text, then each block as Slack shows it. */
    static List<String> slackText(Message message) {
        List<String> lines = new ArrayList<>();
        lines.add("(notification) " + message.getText());
        for (LayoutBlock block : message.getBlocks()) {
            if (block instanceof HeaderBlock header) {
                lines.add("# " + header.getText().getText());
            } else if (block instanceof SectionBlock section) {
                if (section.getText() != null) {
                    lines.add(text(section.getText()));
                }
                if (section.getFields() != null) {
                    section.getFields().forEach(field -> lines.add(text(field).replace("\n", ": ")));
                }
            } else if (block instanceof ContextBlock contextBlock) {
                contextBlock.getElements().forEach(element -> lines.add("(context) "
                        + (element instanceof TextObject textObject ? text(textObject) : String.valueOf(element))));
            }
        }
        return lines;
    }

    private static String text(TextObject text) {
        if (text instanceof MarkdownTextObject markdown) {
            return markdown.getText();
        }
        return text instanceof PlainTextObject plain ? plain.getText() : String.valueOf(text);
    }

    /** Replaces the routes' {@code incidents} bean with a {@link DryRunIntake}, once the monitor bound its own. */
    private static final class DryRunConfiguration implements Consumer<CamelContext> {

        private DryRunIntake intake;

        @Override
        public void accept(CamelContext context) {
            IncidentIntake real = context.getRegistry().lookupByNameAndType("incidents", IncidentIntake.class);
            if (real == null) {
                throw new IllegalStateException("the routes' incidents bean is missing");
            }
            intake = new DryRunIntake(real);
            Deployment.replace(context, "incidents", intake);
        }
    }
}
