package io.github.phrasetmmonitor.silence;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.phrasetmmonitor.state.IncidentState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ad-hoc silences of a single process, in {@code monitor.state-dir/silences.journal}: one JSON line per change,
 * holding the whole silence (the last line of an id wins), appended and synced by the {@code silence} command. The
 * running monitor reads the file again whenever it changed, so a silence added beside it is in force at its next
 * delivery pass. A line cut short (a crash while writing) is skipped.
 */
public final class SilenceJournal implements SilenceStore {

    public static final String FILE = "silences.journal";
    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.alert");

    private final Path file;
    private final ObjectMapper json = IncidentState.mapper();
    /** What the file held when last read, and its size and time then. Guarded by this. */
    private List<Silence> read = List.of();
    private long readSize = -1;
    private FileTime readTime;

    public SilenceJournal(Path stateDir) {
        this.file = stateDir.resolve(FILE);
    }

    @Override
    public synchronized List<Silence> all() {
        try {
            long size = Files.size(file);
            FileTime time = Files.getLastModifiedTime(file);
            if (size != readSize || !time.equals(readTime)) {
                read = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
                readSize = size;
                readTime = time;
            }
        } catch (NoSuchFileException none) {
            read = List.of();
            readSize = -1;
        } catch (IOException e) {
            LOG.warn("Cannot read the silences in {} ({}); the ones read before stay in force", file, e.getMessage());
        }
        return read;
    }

    private List<Silence> parse(List<String> lines) {
        Map<String, Silence> byId = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                Silence silence = json.readValue(line, Silence.class);
                byId.put(silence.id(), silence);
            } catch (IOException | RuntimeException torn) {
                // a line cut short by a crash while the command wrote it: that silence was never added
            }
        }
        return List.copyOf(new ArrayList<>(byId.values()));
    }

    @Override
    public synchronized void add(Silence silence) {
        append(silence);
    }

    @Override
    public synchronized Optional<Silence> expire(String id, Instant at) {
        Optional<Silence> known = all().stream().filter(silence -> silence.id().equals(id)).findFirst();
        known.filter(silence -> silence.expiredAt() == null).ifPresent(silence -> append(silence.expired(at)));
        return known.map(silence -> silence.expiredAt() == null ? silence.expired(at) : silence);
    }

    private void append(Silence silence) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, json.writeValueAsString(silence) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return file.toString();
    }
}
