package io.github.phrasetmmonitor.settings;

import java.nio.file.Path;

/**
 * The silences' settings: where the maintenance windows are declared ({@code monitor.silences-file}) and what becomes
 * of held-back notices when a silence ends ({@code alert.after-silence}: true to drop them).
 */
public record SilenceSettings(Path file, boolean dropAfterSilence) {

    public static SilenceSettings read(SettingsReader reader) {
        return new SilenceSettings(Path.of(reader.text("monitor.silences-file")),
                reader.choice("alert.after-silence").filter("drop"::equals).isPresent());
    }
}
