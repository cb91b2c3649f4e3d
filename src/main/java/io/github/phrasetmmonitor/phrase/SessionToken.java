package io.github.phrasetmmonitor.phrase;

import java.time.Instant;

/** A signed-in session: the Authorization header value to send, and when it stops being valid. */
record SessionToken(String authorization, Instant expires) {

    @Override
    public String toString() {
        return "SessionToken[****, expires=" + expires + "]";
    }
}
