package io.github.phrasetmmonitor.phrase;

import io.github.phrasetmmonitor.model.PageDtoTransMemoryDto;
import io.github.phrasetmmonitor.model.TransMemoryDto;
import io.github.phrasetmmonitor.text.SafeText;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which TMs a round checks: the uids in {@code monitor.tm-uids}, or, when that is empty, every TM the account can see
 * (listed anew each round: the first page, then the others concurrently within the request budget; so TMs created
 * since the last round are watched and deleted ones dropped), less
 * {@code monitor.tm-exclude-uids}. Listing also gives the TM names, so discovered TMs need no details call.
 *
 * <p>A listed uid becomes part of URLs, log lines, messages and the state journal as it is, so one that is not an id
 * ({@link SafeText#id}: longer than {@link SafeText#ID} characters, or with control or bidi characters) is left out,
 * with a warning whenever the number left out changes.
 */
public final class WatchList {

    private static final Logger LOG = LoggerFactory.getLogger(WatchList.class);
    /** Phrase's largest page. */
    static final int PAGE_SIZE = 50;
    /** 500,000 TMs; a larger totalPages is not believed. */
    static final int MAX_PAGES = 10_000;
    static final String TOTAL_PAGES = "tmTotalPages";
    static final String FOUND = "tmFound";
    static final String UNUSABLE = "tmUnusableUids";

    /** monitor.tm-uids and monitor.tm-exclude-uids: what a round takes when it starts (a reload swaps them). */
    private record Selection(List<String> configured, Set<String> excluded) {
    }

    private volatile Selection selection;
    private final String nameFilter;
    private final TranslationMemoryDirectory directory;
    private volatile int lastCount = -1;
    private volatile int lastUnusable;

    public WatchList(List<String> configured, Set<String> excluded, String nameFilter,
                     TranslationMemoryDirectory directory) {
        this.selection = new Selection(List.copyOf(configured), Set.copyOf(excluded));
        this.nameFilter = nameFilter;
        this.directory = directory;
    }

    /**
     * A reload changed monitor.tm-uids or monitor.tm-exclude-uids: the next round watches these (the one under way
     * keeps what it took).
     */
    public void takeOver(List<String> configured, Set<String> excluded) {
        selection = new Selection(List.copyOf(configured), Set.copyOf(excluded));
    }

    public boolean isDiscovery() {
        return selection.configured().isEmpty();
    }

    /** The configured uids, less the excluded ones. */
    public List<String> configured() {
        Selection now = selection;
        List<String> watched = now.configured().stream().filter(uid -> !now.excluded().contains(uid)).toList();
        lastCount = watched.size();
        return watched;
    }

    /** How many TMs the last round was given; 0 before the first. */
    public int watchedCount() {
        return Math.max(lastCount, 0);
    }

    public void beginDiscovery(Exchange exchange) {
        exchange.setVariable(TOTAL_PAGES, 1);
        // shared by the pages read in parallel (split copies the variable, not the set)
        exchange.setVariable(FOUND, Collections.synchronizedSet(new LinkedHashSet<String>()));
        exchange.setVariable(UNUSABLE, Collections.synchronizedSet(new LinkedHashSet<String>()));
    }

    /** The query of page {@code pageNumber}: {@code pageNumber}, {@code pageSize} and, if set, the name filter. */
    public String pageQuery(int pageNumber) {
        String query = "pageNumber=" + pageNumber + "&pageSize=" + PAGE_SIZE;
        return nameFilter.isEmpty() ? query : query + "&name=" + URLEncoder.encode(nameFilter, StandardCharsets.UTF_8);
    }

    /** The pages after the first, as the first page's {@code totalPages} announced them. */
    public List<Integer> remainingPages(Exchange exchange) {
        int totalPages = Math.min(exchange.getVariable(TOTAL_PAGES, 1, Integer.class), MAX_PAGES);
        return IntStream.range(1, Math.max(1, totalPages)).boxed().toList();
    }

    @SuppressWarnings("unchecked")
    public void addPage(Exchange exchange) {
        PageDtoTransMemoryDto page = exchange.getMessage().getBody(PageDtoTransMemoryDto.class);
        Set<String> found = exchange.getVariable(FOUND, Set.class);
        for (TransMemoryDto tm : page.content()) {
            if (tm.uid() == null || tm.uid().isBlank()) {
                continue;
            }
            String uid = SafeText.id(tm.uid());
            if (!uid.equals(tm.uid())) {
                exchange.getVariable(UNUSABLE, Set.class).add(uid);
                continue;
            }
            directory.remember(tm.uid(), tm);
            found.add(tm.uid());
        }
        if (page.totalPages() != null) {
            exchange.setVariable(TOTAL_PAGES, page.totalPages());
        }
    }

    /** Ends the listing: the body becomes the uids to check this round. */
    @SuppressWarnings("unchecked")
    public List<String> finishDiscovery(Exchange exchange) {
        Set<String> found = exchange.getVariable(FOUND, Set.class);
        List<String> watched = new ArrayList<>(found.size());
        synchronized (found) {
            for (String uid : found) {
                if (!selection.excluded().contains(uid)) {
                    watched.add(uid);
                }
            }
        }
        directory.retainOnly(found);
        Set<String> unusable = exchange.getVariable(UNUSABLE, Set.class);
        if (unusable.size() != lastUnusable) {
            synchronized (unusable) {
                if (!unusable.isEmpty()) {
                    LOG.warn("Left out {} translation memories the Phrase account listed with a uid that is not an id"
                            + " (over {} characters, or with control or bidi characters), e.g. '{}'",
                            unusable.size(), SafeText.ID, unusable.iterator().next());
                }
            }
            lastUnusable = unusable.size();
        }
        if (watched.size() != lastCount) {
            LOG.info("Watching {} translation memories found in the Phrase account{}", watched.size(),
                    nameFilter.isEmpty() ? "" : " with names matching '" + nameFilter + "'");
            lastCount = watched.size();
        }
        return watched;
    }
}
