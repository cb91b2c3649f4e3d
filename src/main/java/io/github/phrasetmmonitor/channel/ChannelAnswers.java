package io.github.phrasetmmonitor.channel;

import io.github.phrasetmmonitor.alert.AlertDeliveryException;
import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.alert.SlackWebhooks;
import io.github.phrasetmmonitor.net.HttpAnswers;
import io.github.phrasetmmonitor.net.HttpGuard;
import io.github.phrasetmmonitor.text.SafeText;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;

/**
 * An HTTP channel's call, around the camel-http endpoint its route shows: {@link #prepare} gives the call the
 * channel's {@code timeout} (from the request to the answer's last byte, see {@link HttpGuard}) and a JSON content
 * type; {@link #judge} reads the answer by the rules the route states, such as {@code "taken: 202; retry: 429 5xx"}:
 * a status in {@code taken} is success, one in {@code retry} is worth another attempt (after its Retry-After, when
 * it has one), any other is final. {@code 2xx}, {@code 4xx}, {@code 5xx} stand for their class. The line a failure
 * leaves in the log quotes the answer's start, with the channel's secrets masked.
 */
public final class ChannelAnswers {

    /** A channel without a timeout setting: the same bound as Slack's default. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int EXCERPT = 200;

    private record Rules(List<String> taken, List<String> retry) {
    }

    private final ChannelSettings settings;
    private final Clock clock;
    private final Map<String, Rules> parsed = new ConcurrentHashMap<>();

    public ChannelAnswers(ChannelSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Before the call: its deadline (the channel's timeout), its name for errors, a JSON content type. */
    public void prepare(Exchange exchange) {
        Notice notice = notice(exchange);
        exchange.setProperty(HttpGuard.DEADLINE, settings.duration(notice.channel(), "timeout")
                .orElse(DEFAULT_TIMEOUT));
        exchange.setProperty(HttpGuard.CALL, notice.channel() + " delivery");
        if (exchange.getMessage().getHeader(Exchange.CONTENT_TYPE) == null) {
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        }
    }

    /**
     * After the call: returns when the status is one {@code rules} call taken.
     *
     * @throws AlertDeliveryException with the verdict the rules give, naming the status and quoting the answer
     * @throws IllegalArgumentException when the rules cannot be read (a mistake in the route, shown by validate)
     */
    public void judge(Exchange exchange, String rules) {
        Notice notice = notice(exchange);
        Rules read = parsed.computeIfAbsent(rules, ChannelAnswers::parse);
        int status = HttpAnswers.status(exchange);
        if (matches(read.taken(), status)) {
            return;
        }
        String excerpt = SafeText.line(HttpAnswers.text(exchange), EXCERPT);
        String line = notice.channelTitle() + " answered HTTP " + status
                + (excerpt.isBlank() ? "" : ": " + settings.mask(notice.channel(), notice.destination(), excerpt));
        if (!matches(read.retry(), status)) {
            throw new AlertDeliveryException(line + " (not retried: the route calls it final)");
        }
        Optional<String> retryAfter = Optional.ofNullable(exchange.getMessage().getHeader("Retry-After", String.class));
        if (retryAfter.isPresent()) {
            Duration wait = SlackWebhooks.retryAfter(retryAfter, clock.instant());
            throw new AlertDeliveryException(line + " (Retry-After " + wait.toSeconds() + "s)",
                    AlertDeliveryException.Retry.WAIT, wait);
        }
        throw new AlertDeliveryException(line, AlertDeliveryException.Retry.TRANSIENT, null);
    }

    /** Checks rules as {@link #judge} reads them; the problem in words, or empty. */
    public static Optional<String> problem(String rules) {
        try {
            parse(rules);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    static Rules parse(String rules) {
        List<String> taken = new ArrayList<>();
        List<String> retry = new ArrayList<>();
        for (String clause : rules.split(";")) {
            if (clause.isBlank()) {
                continue;
            }
            int colon = clause.indexOf(':');
            String verdict = colon < 0 ? "" : clause.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            List<String> target = switch (verdict) {
                case "taken" -> taken;
                case "retry" -> retry;
                default -> throw new IllegalArgumentException("answer rules '" + rules + "': each clause is"
                        + " 'taken: <statuses>' or 'retry: <statuses>', such as \"taken: 202; retry: 429 5xx\"");
            };
            for (String status : clause.substring(colon + 1).trim().split("[\\s,]+")) {
                if (!status.matches("[1-5]\\d\\d|[1-5]xx")) {
                    throw new IllegalArgumentException("answer rules '" + rules + "': '" + status
                            + "' is not an HTTP status (202) or class (5xx)");
                }
                target.add(status);
            }
        }
        if (taken.isEmpty()) {
            throw new IllegalArgumentException("answer rules '" + rules + "' name no status as taken");
        }
        return new Rules(List.copyOf(taken), List.copyOf(retry));
    }

    private static boolean matches(List<String> statuses, int status) {
        String text = Integer.toString(status);
        return statuses.stream().anyMatch(rule -> rule.equals(text)
                || rule.endsWith("xx") && text.length() == 3 && text.charAt(0) == rule.charAt(0));
    }

    private static Notice notice(Exchange exchange) {
        Notice notice = exchange.getVariable("notice", Notice.class);
        if (notice == null) {
            throw new IllegalStateException("a channel call without the variable notice");
        }
        return notice;
    }

    @Override
    public String toString() {
        return "ChannelAnswers";
    }
}
