package io.github.phrasetmmonitor.poll;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * The TMs of one round, handed to the split one at a time. When the monitor is shutting down the round ends after
 * the TM being checked (and its alert deliveries), so a SIGTERM never cuts a check or a delivery in half and the
 * process exits soon after.
 */
public final class PollRound {

    public Iterator<String> untilShutdown(List<String> tmUids, Exchange exchange) {
        CamelContext context = exchange.getContext();
        Iterator<String> uids = tmUids.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return uids.hasNext() && !(context.isStopping() || context.isStopped());
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return uids.next();
            }
        };
    }
}
