package io.github.phrasetmmonitor.alert;

import io.github.phrasetmmonitor.state.IncidentState;

/**
 * The claims of a single process: a notice it planned is its own to send while its incidents are still what it was
 * planned from (open, resolved or not); the state knows the send is under way until it is released, so a task that
 * ends meanwhile is not forgotten before the channel's answer is recorded.
 */
public final class LocalNoticeClaims implements NoticeClaims {

    private final IncidentState state;

    public LocalNoticeClaims(IncidentState state) {
        this.state = state;
    }

    @Override
    public boolean claim(Notice notice) {
        return state.startSending(notice.incidents());
    }

    @Override
    public void release(Notice notice) {
        state.sendOver(notice.incidents());
    }
}
