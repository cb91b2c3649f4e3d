package io.github.phrasetmmonitor.phrase;

import io.github.phrasetmmonitor.model.TransMemoryDto;
import io.github.phrasetmmonitor.text.SafeText;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TM details by uid, fetched from Phrase once: names rarely change and every poll would otherwise double the calls.
 * This is where a TM's name enters the monitor, so it is kept bounded and cleaned ({@link SafeText#name}): the routing
 * rules, the alerts, the problem messages and the logs all take it from here.
 */
public final class TranslationMemoryDirectory {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.poll");

    private final Map<String, TransMemoryDto> byUid = new ConcurrentHashMap<>();

    /** @return the cached TM, or null when it has not been fetched yet */
    public TransMemoryDto cached(String uid) {
        return byUid.get(uid);
    }

    /**
     * Keeps the TM under the uid it was asked for (or listed with), which is also the uid it is known by from now
     * on: Phrase's echo of it adds nothing, and an echo that differs would split the TM's failures from its problems.
     */
    public TransMemoryDto remember(String requestedUid, TransMemoryDto tm) {
        if (tm.uid() != null && !requestedUid.equals(tm.uid()) && !byUid.containsKey(requestedUid)) {
            // told once per TM: the answer is cached, so remember runs again only after the TM is forgotten
            LOG.warn("TM {}: Phrase's answer names another uid ({}); the monitor keeps the uid it watches, so no two"
                    + " TMs are ever taken for one", requestedUid, SafeText.id(tm.uid()));
        }
        String name = SafeText.name(tm.name());
        // SafeText gives back the very string when it needs no change: the usual TM is kept as Phrase sent it
        TransMemoryDto kept = requestedUid.equals(tm.uid()) && name == tm.name() ? tm
                : new TransMemoryDto(tm.id(), requestedUid, name, tm.sourceLang(), tm.targetLangs(), tm.note(),
                        tm.dateCreated());
        byUid.put(requestedUid, kept);
        return kept;
    }

    /** Forgets TMs the account no longer lists. */
    public void retainOnly(java.util.Set<String> uids) {
        byUid.keySet().retainAll(uids);
    }
}
