package io.github.phrasetmmonitor.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A crash-safe line journal: each change is one appended line, fsynced before the call returns; on start the lines are
 * replayed, a last line torn by a crash (no final newline) is ignored, and the journal is rewritten compactly (write a
 * temporary file, fsync, rename over the old one). The content of the lines is the caller's business.
 */
final class StateJournal {

    private static final Logger LOG = LoggerFactory.getLogger(StateJournal.class);

    private final Path file;
    private FileChannel appender;

    StateJournal(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Creates the state directory if needed and returns the complete lines written so far. */
    List<String> open() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("monitor.state-dir " + dir + " cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException("monitor.state-dir " + dir + " is not writable");
        }
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        boolean tornTail = !text.isEmpty() && !text.endsWith("\n");
        List<String> lines = text.lines().toList();
        if (tornTail) {
            LOG.warn("State journal {} ended in a partly written line (the monitor stopped mid-write); ignored it",
                    file);
            return lines.subList(0, lines.size() - 1);
        }
        return lines;
    }

    /** Replaces the journal with exactly these lines, atomically, and opens it for appending. */
    void rewrite(List<String> lines) throws IOException {
        close();
        StringBuilder content = new StringBuilder();
        lines.forEach(line -> content.append(line).append('\n'));
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, content.toString());
            out.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        appender = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** Appends one line and forces it to disk. The line must not contain a line break. */
    void append(String line) {
        if (appender == null) {
            throw new IllegalStateException("state journal " + file + " is not open");
        }
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a journal line cannot contain a line break");
        }
        try {
            writeFully(appender, line + "\n");
            appender.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write state journal " + file, e);
        }
    }

    void close() throws IOException {
        if (appender != null) {
            appender.close();
            appender = null;
        }
    }

    private static void writeFully(FileChannel channel, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
