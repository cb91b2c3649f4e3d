package io.github.phrasetmmonitor.poll;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * The TMs of one round, handed to the split one at a time. When the monitor is shutting down the round ends after
 * the TMs being checked (and its alert deliveries), so a SIGTERM never cuts a check or a delivery in half and the
 * process exits soon after. The split hands a few TMs to its threads ahead of time; those that have not started
 * when the monitor begins to stop are left for the next start ({@link #stopIfShuttingDown}).
 */
public final class PollRound {

    /**
     * The first step of a TM's check: when the monitor has begun to stop, this TM's check ends here, before any call
     * to Phrase, and counts neither as checked nor as failed.
     */
    public void stopIfShuttingDown(Exchange exchange) {
        CamelContext context = exchange.getContext();
        if (context.isStopping() || context.isStopped()) {
            exchange.setRouteStop(true);
        }
    }

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
