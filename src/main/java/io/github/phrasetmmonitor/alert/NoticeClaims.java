package io.github.phrasetmmonitor.alert;

/**
 * Who may send a notice, and when its send is over. One process sends what it planned while it is still due
 * ({@link LocalNoticeClaims}); several instances on one database (cluster mode) claim each notice first, so that two
 * live nodes never both send it ({@code cluster.PostgresNoticeClaims}). Route {@code deliver-each} claims before the
 * send and releases after it, whatever the outcome.
 */
public interface NoticeClaims {

    /** @return true when this instance is to send the notice now; false when another sends it, or sent it already */
    boolean claim(Notice notice);

    /** The send is over (taken and recorded, or given up for now): the notice is free to be planned again. */
    void release(Notice notice);
}
