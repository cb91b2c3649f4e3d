package io.github.phrasetmmonitor.state;

/**
 * Whether what a round saw may still be recorded. In one process, always. In a cluster, only while that round is the
 * cluster's current one: a node that was frozen past its round's lease wakes with answers from before the freeze,
 * and another node has polled since; recording them would undo newer state (resolve a failure with an older
 * successful task). The incident state asks the fence inside its lock, so no newer change can slip in between.
 */
public interface Fence {

    /** The exchange property under which a round's checks carry their fence. */
    String PROPERTY = "phraseMonitorFence";

    Fence OPEN = () -> true;

    boolean admits();
}
