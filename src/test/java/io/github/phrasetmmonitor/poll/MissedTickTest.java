package io.github.phrasetmmonitor.poll;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.github.phrasetmmonitor.support.PhraseDocuments.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.phrasetmmonitor.support.LogCapture;
import io.github.phrasetmmonitor.support.MonitorTestBed;
import io.github.phrasetmmonitor.support.RunningMonitor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 21 item 3: a round that outlasts its 1 s tick (12 TMs, one call at a time, 100 ms each) is followed at once
 * by the next round, started by a catch-up of the skipped tick rather than by the tick after it; one catch-up per run
 * of skipped ticks, never a pile-up, and never while another round runs.
 */
class MissedTickTest {

    private static final int TMS = 12;

    @RegisterExtension
    final MonitorTestBed bed = new MonitorTestBed();

    /** One exchange of the polling route: a cron tick or a catch-up, which started a round or was skipped. */
    private record Tick(Instant began, Instant done, boolean catchUp, boolean round, long roundsEndedBefore) {
    }

    @Test
    void aSkippedTickIsCaughtUpOnceAsSoonAsTheRoundEnds() throws Exception {
        IntStream.range(0, TMS).forEach(i -> bed.phrase().translationMemory("tm" + i, "TM " + i));
        bed.phrase().server().stubFor(get(urlPathMatching("/web/api2/v1/transMemories/[^/]+/lastBackgroundTask"))
                .willReturn(okJson(ok("t")).withFixedDelay(100)));
        Map<String, String> settings = bed.settings();
        settings.remove("phrase.username");
        settings.remove("phrase.password");
        settings.put("phrase.api-token", "api-token");
        settings.put("alert.channels", "slack");
        settings.put("monitor.tm-uids", IntStream.range(0, TMS).mapToObj(i -> "tm" + i)
                .collect(Collectors.joining(",")));
        settings.put("phrase.max-concurrent-requests", "1");
        settings.put("phrase.max-requests-per-minute", "60000");

        List<Tick> ticks = new CopyOnWriteArrayList<>();
        AtomicReference<PollingRounds> rounds = new AtomicReference<>();
        RoutePolicySupport observer = new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route route, Exchange exchange) {
                rounds.compareAndSet(null, exchange.getContext().getRegistry()
                        .lookupByNameAndType("pollingRounds", PollingRounds.class));
                exchange.setProperty("test.began", Instant.now());
                exchange.setProperty("test.endedBefore", rounds.get().completed());
            }

            @Override
            public void onExchangeDone(Route route, Exchange exchange) {
                ticks.add(new Tick(exchange.getProperty("test.began", Instant.class), Instant.now(),
                        QuartzCatchUp.isCatchUp(exchange), PollingRounds.roundOf(exchange) != null,
                        exchange.getProperty("test.endedBefore", Long.class)));
            }
        };

        try (LogCapture logs = LogCapture.attach();
             RunningMonitor monitor = RunningMonitor.start(settings,
                     (context, routeId, route) -> "poll-translation-memories".equals(routeId) ? observer : null)) {
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> ticks.stream().filter(t -> t.catchUp() && t.round()).count() >= 4);
            List<Tick> seen = new ArrayList<>(ticks);
            seen.sort((a, b) -> a.began().compareTo(b.began()));

            List<Tick> catchUps = seen.stream().filter(Tick::catchUp).filter(Tick::round).toList();
            // a catch-up asked for as a round ended may meet the cron tick of that very moment, which started a
            // round first: the catch-up then starts none, rather than piling a second round up behind it
            assertThat(seen.stream().filter(Tick::catchUp).filter(tick -> !tick.round()))
                    .as("a catch-up that started no round found a cron tick's round under way")
                    .allMatch(dropped -> seen.stream().anyMatch(tick -> tick.round() && !tick.catchUp()
                            && !tick.began().isAfter(dropped.began()) && !tick.done().isBefore(dropped.began())));
            // one line each; the round under way may have logged its line and not yet ended
            assertThat(logs.linesContaining("Catching up the cron tick(s) skipped").size())
                    .isBetween(catchUps.size(), catchUps.size() + 1);

            long roundsBegun = 0;
            Tick previousRound = null;
            int skippedSincePrevious = 0;
            int catchUpsSincePrevious = 0;
            for (Tick tick : seen) {
                if (!tick.round()) {
                    skippedSincePrevious++;
                    continue;
                }
                if (tick.catchUp()) {
                    assertThat(previousRound).as("a catch-up follows a round").isNotNull();
                    assertThat(skippedSincePrevious).as("a catch-up follows a skipped tick").isPositive();
                    assertThat(catchUpsSincePrevious).as("one catch-up per run of skipped ticks").isZero();
                    assertThat(tick.roundsEndedBefore()).as("no other round runs when a catch-up starts")
                            .isEqualTo(roundsBegun);
                    assertThat(Duration.between(previousRound.done(), tick.began()))
                            .as("the catch-up starts as the round ends, before the next tick (1 s)")
                            .isLessThan(Duration.ofSeconds(1));
                    catchUpsSincePrevious++;
                }
                roundsBegun++;
                previousRound = tick;
                skippedSincePrevious = 0;
                catchUpsSincePrevious = 0;
            }
            assertThat(bed.phrase().maxInFlight()).isEqualTo(1);
        }
    }
}
