package io.github.phrasetmmonitor.summary;

import java.util.List;

/**
 * Where the summaries' ledger lines are kept: a file in monitor.state-dir ({@link FileSummaryLedger}), or a table of
 * the cluster's database that every node shares ({@link PostgresSummaryLedger}). Lines in the order written.
 */
public interface SummaryLedger {

    void append(String line);

    List<String> lines();

    /** Keeps only {@code kept} (a subset of {@link #lines()}, in order): the lines past the last summary sent. */
    void replace(List<String> kept);

    String describe();

    /**
     * Whether other processes (a cluster's nodes) write to it too: then a line written just before a period ends may
     * reach it just after, and a period is summarised only once such lines have arrived ({@link Summaries}).
     */
    default boolean shared() {
        return false;
    }

    /**
     * One delivery pass at a time, in this process and, for a shared ledger, in the cluster: the scheduled pass and
     * the retry pass could otherwise both find a summary owed and both send it. False when another pass holds it.
     */
    boolean tryLock();

    /** Ends the pass {@link #tryLock} began; from any thread. */
    void unlock();
}
