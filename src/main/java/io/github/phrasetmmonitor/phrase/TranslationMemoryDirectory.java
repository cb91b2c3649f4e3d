package io.github.phrasetmmonitor.phrase;

import io.github.phrasetmmonitor.model.TransMemoryDto;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** TM details by uid, fetched from Phrase once: names rarely change and every poll would otherwise double the calls. */
public final class TranslationMemoryDirectory {

    private final Map<String, TransMemoryDto> byUid = new ConcurrentHashMap<>();

    /** @return the cached TM, or null when it has not been fetched yet */
    public TransMemoryDto cached(String uid) {
        return byUid.get(uid);
    }

    public TransMemoryDto remember(String requestedUid, TransMemoryDto tm) {
        TransMemoryDto complete = tm.uid() == null || tm.uid().isBlank()
                ? new TransMemoryDto(tm.id(), requestedUid, tm.name(), tm.sourceLang(), tm.targetLangs(), tm.note(),
                        tm.dateCreated())
                : tm;
        byUid.put(requestedUid, complete);
        return complete;
    }

    /** Forgets TMs the account no longer lists. */
    public void retainOnly(java.util.Set<String> uids) {
        byUid.keySet().retainAll(uids);
    }
}
