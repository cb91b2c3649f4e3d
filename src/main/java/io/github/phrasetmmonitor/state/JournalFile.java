package io.github.phrasetmmonitor.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incident journal of one process: {@code monitor.state-dir/incidents.journal}, one fsynced line per change,
 * rewritten compactly at each start. When it does not exist yet, the journals of the releases before it are read once
 * ({@link LegacyJournals}) and renamed {@code *.upgraded}.
 */
public final class JournalFile implements IncidentLog {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.alert");

    private final StateJournal journal;
    private final ObjectMapper json;
    private final Map<String, String> defaultDestinations;

    JournalFile(Path file, ObjectMapper json, Map<String, String> defaultDestinations) {
        this.journal = new StateJournal(file);
        this.json = json;
        this.defaultDestinations = Map.copyOf(defaultDestinations);
    }

    Path file() {
        return journal.file();
    }

    @Override
    public void start(Predicate<String> replay, Supplier<List<String>> compacted) throws IOException {
        LegacyJournals legacy = new LegacyJournals(journal.file().getParent(), json, defaultDestinations);
        boolean upgrading = !Files.exists(journal.file()) && legacy.exist();
        List<String> lines = upgrading ? legacy.lines() : journal.open();
        if (upgrading) {
            journal.open(); // creates the state directory if needed
        }
        int unreadable = 0;
        int records = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            if (replay.test(line)) {
                records++;
            } else {
                unreadable++;
            }
        }
        if (records == 0 && unreadable > 0 && !upgrading) {
            journal.moveAside("no line of it is a state record");
        } else if (unreadable > 0) {
            LOG.warn("State journal {} had {} unreadable line(s); ignored them", upgrading ? legacy.describe()
                    : journal.file(), unreadable);
        }
        journal.rewrite(compacted.get());
        if (upgrading) {
            legacy.markUpgraded();
            LOG.info("Read the journals of the earlier release ({}) into {}; renamed them *.upgraded",
                    legacy.describe(), journal.file().getFileName());
        }
    }

    @Override
    public void append(IncidentKey key, String line) {
        journal.append(line);
    }

    @Override
    public void appendAll(List<Map.Entry<IncidentKey, String>> lines) {
        journal.appendAll(lines.stream().map(Map.Entry::getValue).toList());
    }

    @Override
    public <T> T exclusive(Supplier<T> change, Predicate<String> replay) {
        return change.get();
    }

    @Override
    public void catchUp(Predicate<String> replay) {
        // only this process writes the file
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public void stop() throws IOException {
        journal.close();
    }

    @Override
    public String describe() {
        return journal.file().toString();
    }
}
