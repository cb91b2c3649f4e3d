package io.github.phrasetmmonitor.poll;

import java.util.Optional;

/**
 * Whether this instance may run a round now. One process always may; in a cluster only one node runs a round at a
 * time ({@code cluster.PostgresRoundLeases}), whichever node Quartz's clustered job store gave the tick to.
 */
public interface RoundLeases {

    /** The lease of a round: held until the round ends, or until another node took the round over. */
    interface Lease {

        /** False once another node took the round over (this one was frozen or cut off): it hands out no more TMs. */
        boolean held();
    }

    RoundLeases SINGLE_PROCESS = new RoundLeases() {
        private static final Lease ALWAYS = () -> true;

        @Override
        public Optional<Lease> take() {
            return Optional.of(ALWAYS);
        }

        @Override
        public void finished(Lease lease, boolean successful) {
            // nobody else keeps count
        }
    };

    /** @return empty, with one log line, when another node runs a round or the cluster cannot be asked */
    Optional<Lease> take();

    /** The round is over: the cluster learns which node ran it and whether it succeeded. */
    void finished(Lease lease, boolean successful);
}
