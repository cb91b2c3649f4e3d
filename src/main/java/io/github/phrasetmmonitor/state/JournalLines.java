package io.github.phrasetmmonitor.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A journal file read once as it is, for a tool that runs beside the monitor ({@code history}): never rewritten and
 * never written, since the monitor appends to it meanwhile. A line cut short by an append under way is not read.
 */
final class JournalLines implements IncidentLog {

    private final Path file;

    JournalLines(Path file) {
        this.file = file;
    }

    @Override
    public void start(Predicate<String> replay, Supplier<List<String>> compacted) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                replay.test(line);
            }
        }
    }

    @Override
    public void append(IncidentKey key, String line) {
        throw new IllegalStateException("the journal " + file + " is open for reading only");
    }

    @Override
    public <T> T exclusive(Supplier<T> change, Predicate<String> replay) {
        return change.get();
    }

    @Override
    public void catchUp(Predicate<String> replay) {
        // read once
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public void stop() {
        // nothing is open
    }

    @Override
    public String describe() {
        return file + " (read only)";
    }
}
