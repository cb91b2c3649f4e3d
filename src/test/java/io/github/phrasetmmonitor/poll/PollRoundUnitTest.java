package io.github.phrasetmmonitor.poll;

import io.github.phrasetmmonitor.phrase.CheckDeadline;
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

    private final CheckClaims claims = new CheckClaims("check-translation-memory", java.time.Clock.systemUTC());
    private final PollRound round = new PollRound(claims, new CredentialsGate("check-translation-memory",
            java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(15), "API token (phrase.api-token)"),
            java.time.Duration.ofSeconds(60));

    @Test
    void whileRunningEveryTmIsHandedOutAndChecked() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            Exchange check = new DefaultExchange(context);
            check.getMessage().setBody("tm1");

            round.startCheck(check);

            assertThat(check.isRouteStop()).isFalse();
            assertThat(claims.inFlight()).isEqualTo(1);
            assertThat(CheckDeadline.of(check).remaining()).isPositive().isLessThanOrEqualTo(
                    java.time.Duration.ofSeconds(60));
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
            queuedCheck.getMessage().setBody("tm2");
            round.startCheck(queuedCheck);

            assertThat(tms.hasNext()).as("no TM handed out after the stop began").isFalse();
            assertThat(queuedCheck.isRouteStop()).as("a TM handed out before, not yet started, is not checked")
                    .isTrue();
        }
    }

    @Test
    void aTmStillBeingCheckedIsSkippedUntilItsCheckIsOver() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            Exchange slow = new DefaultExchange(context);
            slow.getMessage().setBody("tm1");
            round.startCheck(slow);

            Exchange nextRound = new DefaultExchange(context);
            nextRound.getMessage().setBody("tm1");
            round.startCheck(nextRound);
            assertThat(nextRound.isRouteStop()).as("checked once at a time").isTrue();

            claims.createRoutePolicy(context, "check-translation-memory", null).onExchangeDone(null, slow);
            Exchange later = new DefaultExchange(context);
            later.getMessage().setBody("tm1");
            round.startCheck(later);
            assertThat(later.isRouteStop()).isFalse();
        }
    }
}
