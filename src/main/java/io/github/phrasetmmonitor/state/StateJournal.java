package io.github.phrasetmmonitor.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
    private static final DateTimeFormatter ASIDE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private FileChannel appender;

    StateJournal(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /**
     * Creates the state directory if needed and returns the complete lines written so far. A file that is no journal
     * at all (binary, not UTF-8, a directory) is moved aside and the journal starts empty.
     */
    List<String> open() throws IOException {
        StateDirectory.requireWritable(file.toAbsolutePath().getParent());
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return completeLines(Files.readAllBytes(file));
        } catch (IOException | UnreadableJournalException e) {
            moveAside(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return List.of();
        }
    }

    private List<String> completeLines(byte[] content) {
        for (byte b : content) {
            if ((b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F) {
                // lines are escaped JSON or encoded keys, so a control character means this is not a journal
                throw new UnreadableJournalException("binary content");
            }
        }
        // what follows the last line break is a line torn by a crash, possibly in the middle of a character
        int completeLength = content.length;
        while (completeLength > 0 && content[completeLength - 1] != '\n') {
            completeLength--;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content, 0, completeLength)).toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableJournalException("not UTF-8 text");
        }
        if (completeLength < content.length) {
            LOG.warn("State journal {} ended in a partly written line (the monitor stopped mid-write); ignored it",
                    file);
        }
        return text.lines().toList();
    }

    /** Keeps an unreadable journal for a post-mortem and starts empty rather than refusing to start. */
    void moveAside(String reason) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + ASIDE_STAMP.format(Instant.now()));
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        LOG.warn("State journal {} cannot be read ({}); moved it to {} and starting with an empty state: tasks that"
                + " are still failed in Phrase will be alerted once more", file, reason, aside.getFileName());
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
        syncDirectory();
        appender = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** Appends one line and forces it to disk. The line must not contain a line break. */
    void append(String line) {
        appendAll(List.of(line));
    }

    /**
     * Appends the lines and forces them to disk once: for many changes of one decision (a delivery pass that holds
     * back the incidents of a round under way), not one sync each. A crash in between keeps a prefix of them.
     */
    void appendAll(List<String> lines) {
        if (appender == null) {
            throw new IllegalStateException("state journal " + file + " is not open");
        }
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("a journal line cannot contain a line break");
            }
            text.append(line).append('\n');
        }
        try {
            writeFully(appender, text.toString());
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

    /** Makes the rename itself durable; where a directory cannot be opened (Windows) the rename is left to the OS. */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot fsync directory of {}: {}", file, e.toString());
        }
    }

    /** The file is not a journal this monitor wrote. */
    private static final class UnreadableJournalException extends RuntimeException {
        UnreadableJournalException(String reason) {
            super(reason, null, false, false);
        }
    }

    private static void writeFully(FileChannel channel, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
