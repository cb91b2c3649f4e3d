package io.github.phrasetmmonitor.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's open problems, kept in {@code monitor.state-dir/monitor-problems.journal} so that a problem told
 * before a restart is not told again after it, and its recovery is still told. Same journal rules as
 * {@link AlertState}: one appended, fsynced JSON line per change (the last line for a key wins; a closed problem
 * writes a tombstone), a line torn by a crash is ignored, and the file is rewritten compactly on start. It holds
 * TM uids, user names and Phrase's error text, never a secret.
 */
public final class ProblemState extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("phrase-tm-monitor.problem");

    /** One journal line: a problem as it is now, or the tombstone of a closed one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Line(MonitorProblem problem, String closed) {
    }

    private final StateJournal journal;
    private final ObjectMapper json = AlertState.mapper();
    private final Map<String, MonitorProblem> open = new LinkedHashMap<>();

    public ProblemState(Path journalFile) {
        this.journal = new StateJournal(journalFile);
    }

    public Path journal() {
        return journal.file();
    }

    @Override
    protected synchronized void doStart() throws IOException {
        open.clear();
        int unreadable = 0;
        for (String text : journal.open()) {
            if (text.isBlank()) {
                continue;
            }
            try {
                Line line = json.readValue(text, Line.class);
                if (line.problem() != null) {
                    open.put(line.problem().key(), line.problem());
                } else if (line.closed() != null) {
                    open.remove(line.closed());
                } else {
                    unreadable++;
                }
            } catch (JsonProcessingException | RuntimeException e) {
                unreadable++;
            }
        }
        if (unreadable > 0) {
            LOG.warn("Problem journal {} had {} unreadable line(s); ignored them", journal.file(), unreadable);
        }
        List<String> lines = new ArrayList<>();
        for (MonitorProblem problem : open.values()) {
            lines.add(write(new Line(problem, null)));
        }
        journal.rewrite(lines);
        if (!open.isEmpty()) {
            LOG.info("Problem journal {} holds {} open problem(s): {}", journal.file(), open.size(), open.keySet());
        }
    }

    @Override
    protected synchronized void doStop() throws IOException {
        journal.close();
    }

    public synchronized Optional<MonitorProblem> get(String key) {
        return Optional.ofNullable(open.get(key));
    }

    public synchronized List<MonitorProblem> all() {
        return List.copyOf(open.values());
    }

    /** Records the problem as it is now, on disk before this returns. */
    public synchronized void save(MonitorProblem problem) {
        journal.append(write(new Line(problem, null)));
        open.put(problem.key(), problem);
    }

    /** Forgets a problem for good. */
    public synchronized void close(String key) {
        if (open.containsKey(key)) {
            journal.append(write(new Line(null, key)));
            open.remove(key);
        }
    }

    private String write(Line line) {
        try {
            return json.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
