package io.github.phrasetmmonitor.phrase;

import io.github.phrasetmmonitor.model.PageDtoTransMemoryDto;
import io.github.phrasetmmonitor.model.TransMemoryDto;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which TMs a round checks: the uids in {@code monitor.tm-uids}, or, when that is empty, every TM the account can see
 * (listed page by page each round, so TMs created since the last round are watched and deleted ones dropped), less
 * {@code monitor.tm-exclude-uids}. Listing also gives the TM names, so discovered TMs need no details call.
 */
public final class WatchList {

    private static final Logger LOG = LoggerFactory.getLogger(WatchList.class);
    /** Phrase's largest page. */
    static final int PAGE_SIZE = 50;
    static final String PAGE = "tmPage";
    static final String TOTAL_PAGES = "tmTotalPages";
    static final String FOUND = "tmFound";

    private final List<String> configured;
    private final Set<String> excluded;
    private final String nameFilter;
    private final TranslationMemoryDirectory directory;
    private volatile int lastCount = -1;

    public WatchList(List<String> configured, Set<String> excluded, String nameFilter,
                     TranslationMemoryDirectory directory) {
        this.configured = List.copyOf(configured);
        this.excluded = Set.copyOf(excluded);
        this.nameFilter = nameFilter;
        this.directory = directory;
    }

    public boolean isDiscovery() {
        return configured.isEmpty();
    }

    /** The configured uids, less the excluded ones. */
    public List<String> configured() {
        List<String> watched = configured.stream().filter(uid -> !excluded.contains(uid)).toList();
        lastCount = watched.size();
        return watched;
    }

    /** How many TMs the last round was given; 0 before the first. */
    public int watchedCount() {
        return Math.max(lastCount, 0);
    }

    public void beginDiscovery(Exchange exchange) {
        exchange.setVariable(PAGE, 0);
        exchange.setVariable(TOTAL_PAGES, 1);
        exchange.setVariable(FOUND, new LinkedHashSet<String>());
    }

    /** The query of the next page: {@code pageNumber}, {@code pageSize} and, if set, the name filter. */
    public String pageQuery(Exchange exchange) {
        String query = "pageNumber=" + exchange.getVariable(PAGE, Integer.class) + "&pageSize=" + PAGE_SIZE;
        return nameFilter.isEmpty() ? query : query + "&name=" + URLEncoder.encode(nameFilter, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    public void addPage(Exchange exchange) {
        PageDtoTransMemoryDto page = exchange.getMessage().getBody(PageDtoTransMemoryDto.class);
        Set<String> found = exchange.getVariable(FOUND, Set.class);
        int pageNumber = exchange.getVariable(PAGE, Integer.class);
        for (TransMemoryDto tm : page.content()) {
            if (tm.uid() != null && !tm.uid().isBlank()) {
                directory.remember(tm.uid(), tm);
                found.add(tm.uid());
            }
        }
        int totalPages = page.totalPages() == null ? pageNumber + 1 : page.totalPages();
        // an empty page ends the listing even if totalPages says otherwise, so a wrong count cannot loop forever
        exchange.setVariable(TOTAL_PAGES, page.content().isEmpty() ? pageNumber : totalPages);
        exchange.setVariable(PAGE, pageNumber + 1);
    }

    /** Ends the listing: the body becomes the uids to check this round. */
    @SuppressWarnings("unchecked")
    public List<String> finishDiscovery(Exchange exchange) {
        Set<String> found = exchange.getVariable(FOUND, Set.class);
        List<String> watched = new ArrayList<>(found.size());
        for (String uid : found) {
            if (!excluded.contains(uid)) {
                watched.add(uid);
            }
        }
        directory.retainOnly(found);
        if (watched.size() != lastCount) {
            LOG.info("Watching {} translation memories found in the Phrase account{}", watched.size(),
                    nameFilter.isEmpty() ? "" : " with names matching '" + nameFilter + "'");
            lastCount = watched.size();
        }
        return watched;
    }
}
