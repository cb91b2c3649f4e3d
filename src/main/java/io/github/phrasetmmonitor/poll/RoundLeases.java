package io.github.phrasetmmonitor.poll;

import io.github.phrasetmmonitor.health.MonitorProblems;
import io.github.phrasetmmonitor.state.Fence;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether this instance may run a round now. One process always may; in a cluster only one node runs a round at a
 * time ({@code cluster.PostgresRoundLeases}), whichever node Quartz's clustered job store gave the tick to.
 */
public interface RoundLeases {

    /** The lease of a round: held until the round ends, or until another node took the round over. */
    interface Lease extends Fence {

        /** What the round saw may be recorded: the round is still the cluster's current one. */
        @Override
        default boolean admits() {
            return held();
        }

        /** False once another node took the round over (this one was frozen or cut off): it hands out no more TMs. */
        boolean held();

        /** What the cluster's last round left for the next, when another node ran it. */
        default Optional<MonitorProblems.Memory> handedOver() {
            return Optional.empty();
        }
    }

    RoundLeases SINGLE_PROCESS = new RoundLeases() {
        private static final Lease ALWAYS = () -> true;

        @Override
        public Optional<Lease> take() {
            return Optional.of(ALWAYS);
        }

        @Override
        public boolean finished(Lease lease, boolean successful, MonitorProblems.Memory memory) {
            // nobody else keeps count, and the next round runs here: PollingRounds saw every skipped tick
            return false;
        }
    };

    /** When the round another node runs began; empty when none runs, in one process, or the cluster cannot be asked. */
    default Optional<Instant> runningSince() {
        return Optional.empty();
    }

    /** @return empty, with one log line, when another node runs a round or the cluster cannot be asked */
    Optional<Lease> take();

    /**
     * A cron tick found another node's round running ({@link #take()} was empty): that node catches it up when its
     * round ends.
     */
    default void tickMissed() {
    }

    /**
     * The round is over: the cluster learns which node ran it, whether it succeeded, and what the problem checks
     * carry to the next round, wherever it runs.
     *
     * @return true when a tick on another node was skipped while this round ran ({@link #tickMissed()})
     */
    boolean finished(Lease lease, boolean successful, MonitorProblems.Memory memory);
}
