package io.github.phrasetmmonitor.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** What a round hands out, and what a TM's check does, once the monitor has begun to stop. */
class PollRoundUnitTest {

    private final PollRound round = new PollRound();

    @Test
    void whileRunningEveryTmIsHandedOutAndChecked() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            Exchange check = new DefaultExchange(context);

            round.stopIfShuttingDown(check);

            assertThat(check.isRouteStop()).isFalse();
            Iterator<String> tms = round.untilShutdown(List.of("tm1", "tm2"), check);
            assertThat(tms).toIterable().containsExactly("tm1", "tm2");
        }
    }

    @Test
    void onceStoppingNoTmIsHandedOutAndAHandedOutOneIsNotChecked() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            Exchange roundExchange = new DefaultExchange(context);
            Iterator<String> tms = round.untilShutdown(List.of("tm1", "tm2", "tm3"), roundExchange);
            assertThat(tms.next()).isEqualTo("tm1");

            context.stop();
            Exchange queuedCheck = new DefaultExchange(context);
            round.stopIfShuttingDown(queuedCheck);

            assertThat(tms.hasNext()).as("no TM handed out after the stop began").isFalse();
            assertThat(queuedCheck.isRouteStop()).as("a TM handed out before, not yet started, is not checked")
                    .isTrue();
        }
    }
}
