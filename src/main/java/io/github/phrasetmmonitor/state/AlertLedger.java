package io.github.phrasetmmonitor.state;

import io.github.phrasetmmonitor.config.InvalidSettingsException;
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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of alerts already delivered, one key per channel and task, kept in a journal file under
 * {@code monitor.state-dir} so "alert once" holds across restarts.
 *
 * <p>Used by Camel's idempotent consumer in eager mode: {@link #add} only reserves a key in memory while the alert is
 * being delivered, {@link #confirm} writes it to disk once delivery succeeded, and {@link #remove} drops a reservation
 * whose delivery failed. So a key reaches the file only after its alert went out, and a crash mid-delivery leaves no
 * trace: at worst that one alert is sent again. Each confirmation is an appended, fsynced line; a line torn by a
 * crash is ignored on the next start, which then rewrites the journal compactly (write, fsync, rename, fsync of the
 * directory). A journal that is not one at all (binary, not UTF-8, no record in it) is moved aside as
 * {@code alerts-sent.journal.unreadable-<UTC time>} with a warning, and the ledger starts empty: current failures are
 * alerted once more rather than the monitor refusing to start.
 */
public final class AlertLedger extends ServiceSupport implements IdempotentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(AlertLedger.class);
    private static final String SENT = "+";
    private static final String FORGOTTEN = "-";
    private static final DateTimeFormatter ASIDE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path journal;
    private final Set<String> sent = new HashSet<>();
    private final Set<String> inDelivery = new HashSet<>();
    private FileChannel appender;

    public AlertLedger(Path journal) {
        this.journal = journal;
    }

    public Path journal() {
        return journal;
    }

    @Override
    protected synchronized void doStart() throws IOException {
        Path dir = journal.toAbsolutePath().getParent();
        requireWritable(dir);
        sent.clear();
        if (Files.exists(journal)) {
            try {
                replay(Files.readAllBytes(journal));
            } catch (IOException | UnreadableJournalException e) {
                moveAside(e.getMessage());
            }
        }
        compact();
        appender = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        LOG.info("Alert ledger {} holds {} delivered alert(s)", journal, sent.size());
    }

    /**
     * Writability is tried, not asked: {@link Files#isWritable} says yes to root on a read-only mount. The message
     * names the setting, as a start-up failure line.
     */
    public static void requireWritable(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InvalidSettingsException("monitor.state-dir " + dir + " cannot be created ("
                    + e.getClass().getSimpleName() + "); set it to a writable directory (env MONITOR_STATE_DIR)");
        }
        try {
            Path probe = Files.createTempFile(dir, ".write-test-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new InvalidSettingsException("monitor.state-dir " + dir + " is not writable ("
                    + e.getClass().getSimpleName() + "); set it to a writable directory (env MONITOR_STATE_DIR)");
        }
    }

    /** Keeps the unreadable journal for a post-mortem and starts empty rather than refusing to start. */
    private void moveAside(String reason) throws IOException {
        Path aside = journal.resolveSibling(journal.getFileName() + ".unreadable-"
                + ASIDE_STAMP.format(Instant.now()));
        Files.move(journal, aside, StandardCopyOption.REPLACE_EXISTING);
        sent.clear();
        LOG.warn("Alert ledger {} cannot be read ({}); moved it to {} and starting with an empty ledger: tasks that"
                + " are still failed in Phrase will be alerted once more", journal, reason, aside.getFileName());
    }

    @Override
    protected synchronized void doStop() throws IOException {
        if (appender != null) {
            appender.close();
            appender = null;
        }
        inDelivery.clear();
    }

    /** Reserves the key for a delivery in progress; false when it was already delivered or is being delivered. */
    @Override
    public synchronized boolean add(String key) {
        if (sent.contains(key)) {
            return false;
        }
        return inDelivery.add(key);
    }

    @Override
    public synchronized boolean contains(String key) {
        return sent.contains(key) || inDelivery.contains(key);
    }

    /** Delivery failed: the key is free again, so a later round sends the alert. */
    @Override
    public synchronized boolean remove(String key) {
        boolean wasReserved = inDelivery.remove(key);
        if (sent.remove(key)) {
            append(FORGOTTEN + encode(key));
            return true;
        }
        return wasReserved;
    }

    /** Delivery succeeded: written to disk before the key counts as sent. */
    @Override
    public synchronized boolean confirm(String key) {
        inDelivery.remove(key);
        if (sent.contains(key)) {
            return true;
        }
        append(SENT + encode(key));
        sent.add(key);
        return true;
    }

    @Override
    public synchronized void clear() {
        sent.clear();
        inDelivery.clear();
        try {
            compact();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite alert ledger " + journal, e);
        }
    }

    public synchronized Set<String> delivered() {
        return Set.copyOf(sent);
    }

    private void replay(byte[] content) {
        for (byte b : content) {
            if ((b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F) {
                // keys are encoded, so a control character means this is not a journal (or the disk returned garbage)
                throw new UnreadableJournalException("binary content");
            }
        }
        // what follows the last line break is a line torn by a crash, possibly in the middle of a character
        int completeLength = content.length;
        while (completeLength > 0 && content[completeLength - 1] != '\n') {
            completeLength--;
        }
        boolean tornTail = completeLength < content.length;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content, 0, completeLength)).toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableJournalException("not UTF-8 text");
        }
        int unreadable = 0;
        int records = 0;
        for (String line : text.lines().toList()) {
            if (line.startsWith(SENT) && line.length() > 1) {
                sent.add(decode(line.substring(1)));
                records++;
            } else if (line.startsWith(FORGOTTEN) && line.length() > 1) {
                sent.remove(decode(line.substring(1)));
                records++;
            } else if (!line.isBlank()) {
                unreadable++;
            }
        }
        if (records == 0 && unreadable > 0) {
            throw new UnreadableJournalException("no line of it is a journal record");
        }
        if (tornTail) {
            LOG.warn("Alert ledger {} ended in a partly written line (the monitor stopped mid-write); ignored it",
                    journal);
        }
        if (unreadable > 0) {
            LOG.warn("Alert ledger {} had {} unreadable line(s); ignored them", journal, unreadable);
        }
    }

    private void compact() throws IOException {
        Set<String> ordered = new LinkedHashSet<>(sent);
        StringBuilder content = new StringBuilder();
        ordered.forEach(key -> content.append(SENT).append(encode(key)).append('\n'));
        Path temporary = journal.resolveSibling(journal.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, content.toString());
            out.force(true);
        }
        try {
            Files.move(temporary, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, journal, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory();
    }

    /** Makes the rename itself durable; where a directory cannot be opened (Windows) the rename is left to the OS. */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(journal.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot fsync directory of {}: {}", journal, e.toString());
        }
    }

    /** The journal is not one this ledger wrote. */
    private static final class UnreadableJournalException extends RuntimeException {
        UnreadableJournalException(String reason) {
            super(reason, null, false, false);
        }
    }

    private void append(String line) {
        if (appender == null) {
            throw new IllegalStateException("alert ledger " + journal + " is not started");
        }
        try {
            writeFully(appender, line + "\n");
            appender.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write alert ledger " + journal, e);
        }
    }

    /** Keys hold Phrase's task ids; a line break in one must not split its journal line. */
    private static String encode(String key) {
        return key.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D");
    }

    private static String decode(String stored) {
        return stored.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
    }

    private static void writeFully(FileChannel channel, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
