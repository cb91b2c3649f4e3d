package io.github.phrasetmmonitor.state;

import io.github.phrasetmmonitor.settings.InvalidSettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The directory of {@code monitor.state-dir}. */
public final class StateDirectory {

    private StateDirectory() {
    }

    /**
     * Creates the directory if needed and proves it writable by writing into it: {@link Files#isWritable} says yes to
     * root on a read-only mount. The message names the setting, as a start-up failure line.
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
}
