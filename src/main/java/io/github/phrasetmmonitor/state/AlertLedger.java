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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
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
 * crash is ignored on the next start, which then rewrites the journal compactly (write, fsync, rename).
 */
public final class AlertLedger extends ServiceSupport implements IdempotentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(AlertLedger.class);
    private static final String SENT = "+";
    private static final String FORGOTTEN = "-";

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
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("monitor.state-dir " + dir + " cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException("monitor.state-dir " + dir + " is not writable");
        }
        sent.clear();
        if (Files.exists(journal)) {
            replay(Files.readAllBytes(journal));
        }
        compact();
        appender = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        LOG.info("Alert ledger {} holds {} delivered alert(s)", journal, sent.size());
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
        String text = new String(content, StandardCharsets.UTF_8);
        boolean tornTail = !text.isEmpty() && !text.endsWith("\n");
        List<String> lines = text.lines().toList();
        int complete = tornTail ? lines.size() - 1 : lines.size();
        int unreadable = 0;
        for (String line : lines.subList(0, complete)) {
            if (line.startsWith(SENT) && line.length() > 1) {
                sent.add(decode(line.substring(1)));
            } else if (line.startsWith(FORGOTTEN) && line.length() > 1) {
                sent.remove(decode(line.substring(1)));
            } else if (!line.isBlank()) {
                unreadable++;
            }
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
