package io.github.phrasetmmonitor.support;

import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the requests the stub is serving at the same moment, and the most it ever saw. */
public final class InFlightProbe implements ServeEventListener {

    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger max = new AtomicInteger();

    @Override
    public String getName() {
        return "in-flight-probe";
    }

    @Override
    public void beforeMatch(ServeEvent serveEvent, Parameters parameters) {
        max.accumulateAndGet(current.incrementAndGet(), Math::max);
    }

    @Override
    public void afterComplete(ServeEvent serveEvent, Parameters parameters) {
        current.decrementAndGet();
    }

    public int current() {
        return current.get();
    }

    public int max() {
        return max.get();
    }
}
