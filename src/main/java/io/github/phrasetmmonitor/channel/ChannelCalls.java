package io.github.phrasetmmonitor.channel;

import io.github.phrasetmmonitor.alert.Notice;
import io.github.phrasetmmonitor.net.HttpGuard;
import java.time.Duration;
import org.apache.camel.Exchange;

/**
 * Before an HTTP channel's call, the step its route shows ({@code bean: channelCalls, method: prepare}): the call
 * gets the channel's {@code timeout} (from the request to the answer's last byte, see {@link HttpGuard}), its name
 * for errors, and a JSON content type unless the route set another. The camel-http endpoint after it says which
 * answers are taken ({@code okStatusCodeRange}); {@link DeclaredChannel} judges the others.
 */
public final class ChannelCalls {

    /** A channel without a timeout setting: the same bound as Slack's default. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final ChannelSettings settings;

    public ChannelCalls(ChannelSettings settings) {
        this.settings = settings;
    }

    public void prepare(Exchange exchange) {
        Notice notice = exchange.getVariable("notice", Notice.class);
        if (notice == null) {
            throw new IllegalStateException("a channel call without the variable notice");
        }
        exchange.setProperty(HttpGuard.DEADLINE, settings.duration(notice.channel(), "timeout")
                .orElse(DEFAULT_TIMEOUT));
        exchange.setProperty(HttpGuard.CALL, notice.channel() + " delivery");
        if (exchange.getMessage().getHeader(Exchange.CONTENT_TYPE) == null) {
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        }
    }

    @Override
    public String toString() {
        return "ChannelCalls";
    }
}
