package io.github.phrasetmmonitor.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.metrics.PollErrorKind;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CausesUnitTest {

    @Test
    void listsTheChainOutermostFirst() {
        SocketTimeoutException root = new SocketTimeoutException("Read timed out");
        IOException middle = new IOException("no answer", root);
        IllegalStateException outer = new IllegalStateException("check failed", middle);

        assertThat(Causes.of(outer)).containsExactly(outer, middle, root);
        assertThat(Causes.find(outer, IOException.class)).containsSame(middle);
        assertThat(Causes.find(outer, NumberFormatException.class)).isEmpty();
        assertThat(Causes.of(null)).isEmpty();
    }

    /**
     * Java lets A be caused by B and B by A; a walk that follows getCause() blindly never ends, and does not heed
     * an interrupt, so the timeout runs the test in a thread of its own and fails it instead of waiting.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aChainThatLoopsEndsAtItsFirstRepeat() {
        IllegalStateException a = new IllegalStateException("a");
        IllegalArgumentException b = new IllegalArgumentException("b", a);
        a.initCause(b);

        assertThat(Causes.of(a)).containsExactly(a, b);
        assertThat(Causes.find(a, NumberFormatException.class)).isEmpty();
        assertThat(PollErrorKind.of(a)).as("the poll-error metrics' label for such a failure").isEqualTo("other");
    }

    @Test
    void aVeryLongChainIsCut() {
        Throwable chain = new IOException("root");
        for (int i = 0; i < 100; i++) {
            chain = new IllegalStateException("level " + i, chain);
        }

        assertThat(Causes.of(chain)).hasSize(Causes.MAX_DEPTH);
    }
}
