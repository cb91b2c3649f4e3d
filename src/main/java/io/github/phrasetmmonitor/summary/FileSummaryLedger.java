package io.github.phrasetmmonitor.summary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** The ledger of one process: {@code monitor.state-dir/summaries.ledger}, one JSON line per entry. */
public final class FileSummaryLedger implements SummaryLedger {

    public static final String FILE = "summaries.ledger";

    private final Path file;
    private final java.util.concurrent.Semaphore pass = new java.util.concurrent.Semaphore(1);

    public FileSummaryLedger(Path file) {
        this.file = file;
    }

    @Override
    public synchronized void append(String line) {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the summaries ledger " + file, e);
        }
    }

    @Override
    public synchronized List<String> lines() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the summaries ledger " + file, e);
        }
    }

    @Override
    public synchronized void replace(List<String> kept) {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        try {
            Files.write(next, kept, StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite the summaries ledger " + file, e);
        }
    }

    @Override
    public boolean tryLock() {
        return pass.tryAcquire();
    }

    @Override
    public void unlock() {
        pass.release();
    }

    @Override
    public String describe() {
        return file.toString();
    }
}
