package io.github.phrasetmmonitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.phrasetmmonitor.support.FreePort;
import io.github.phrasetmmonitor.support.MonitorProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broken routes file, template or setting stops start-up with exit code 1 and one line that names the problem. Each
 * case runs the monitor in its own JVM in a copy of the project's application.properties, routes/ and templates/.
 */
class StartupTest {

    private static final String CANNOT_START = "phrase-tm-monitor cannot start: ";

    @TempDir
    Path workDir;

    @BeforeEach
    void copyOpsFiles() throws IOException {
        MonitorProcess.prepareWorkDir(workDir);
    }

    private Map<String, String> validEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("PHRASE_API_TOKEN", "secret-api-token");
        env.put("MONITOR_TM_UIDS", "tm1");
        env.put("MONITOR_STATE_DIR", workDir.resolve("data").toString());
        env.put("ALERT_CHANNELS", "slack");
        env.put("ALERT_SLACK_WEBHOOK_URL", "http://127.0.0.1:9/services/secret-hook");
        env.put("MONITOR_MANAGEMENT_PORT", Integer.toString(FreePort.pick()));
        return env;
    }

    private String failureLine(Map<String, String> env) throws Exception {
        MonitorProcess.Result result = MonitorProcess.runUntilExit(workDir, env, 60);
        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        List<String> lines = result.output().lines().filter(line -> line.contains(CANNOT_START)).toList();
        assertThat(lines).as(result.output()).hasSize(1);
        assertThat(result.output()).doesNotContain("secret-api-token", "secret-hook", "\tat ");
        String line = lines.get(0);
        return line.substring(line.indexOf(CANNOT_START) + CANNOT_START.length());
    }

    @Test
    void aMalformedRoutesFileIsNamed() throws Exception {
        Files.writeString(workDir.resolve("routes/broken.camel.yaml"),
                "- route:\n    from:\n      uri: direct:x\n     steps: [\n");
        assertThat(failureLine(validEnv())).contains("broken.camel.yaml");
    }

    @Test
    void aPropertyARouteNeedsIsNamed() throws Exception {
        Files.writeString(workDir.resolve("routes/extra.camel.yaml"),
                "- route:\n    from:\n      uri: \"timer:x?period={{monitor.no-such-key}}\"\n      steps:\n"
                        + "        - log: hi\n");
        assertThat(failureLine(validEnv())).contains("monitor.no-such-key");
    }

    /** Issue 9, item 5: a route the Java side depends on, renamed in ops' own file, stops start-up naming it. */
    @Test
    void aRenamedRouteTheMonitorDependsOnIsNamed() throws Exception {
        Path routes = workDir.resolve("routes/alert-routing.camel.yaml");
        Files.writeString(routes, Files.readString(routes).replace("id: route-incident", "id: route-it"));
        assertThat(failureLine(validEnv())).contains("route 'route-incident' is missing");
    }

    /** Issue 9, item 5: a variable the Java side reads, no longer set by ops' routing route, stops start-up naming it. */
    @Test
    void aVariableTheMonitorDependsOnIsNamed() throws Exception {
        Path routes = workDir.resolve("routes/alert-routing.camel.yaml");
        Files.writeString(routes, Files.readString(routes).replace("name: alertChannels", "name: theChannels"));
        assertThat(failureLine(validEnv())).contains("route 'route-incident' no longer sets the variable"
                + " 'alertChannels'");
    }

    /**
     * Issue 23, item 1: after an upgrade, a copy of an engine route an older release kept in routes/ would replace
     * the new engine's; it stops start-up with one line naming the file.
     */
    @Test
    void anOldCopyOfAnEngineRouteInRoutesIsRefusedNamingTheFile() throws Exception {
        Files.copy(Path.of("routes/engine/deliver-alerts.camel.yaml"), workDir.resolve("routes/deliver-alerts.camel.yaml"));
        assertThat(failureLine(validEnv())).startsWith("routes/deliver-alerts.camel.yaml defines 'send-alerts', which is"
                + " the engine's (engine/deliver-alerts.camel.yaml in the jar)").contains("delete it from routes/");
    }

    /** Issue 10, item 4: a mistyped key would leave its default in force; it stops start-up instead. */
    @Test
    void aMistypedKeyIsNamedWithTheNearestSetting() throws Exception {
        Path properties = workDir.resolve("application.properties");
        Files.writeString(properties, Files.readString(properties) + "\nmonitor.problem-treshold=10\n");
        assertThat(failureLine(validEnv())).contains("'monitor.problem-treshold' is not a setting",
                "did you mean monitor.problem-threshold?");
    }

    @Test
    void aBrokenTemplateIsNamed() throws Exception {
        Files.writeString(workDir.resolve("templates/email-alert.yaml"), "subject: \"[Phrase TM] {{#oops}}\"\n");
        assertThat(failureLine(validEnv())).contains("email-alert.yaml");
    }

    /** Issue 19, item 5: a misspelled template part would never be shown; like a mistyped key, it stops start-up. */
    @Test
    void aMisspelledTemplatePartIsNamedWithItsLineAndTheKnownParts() throws Exception {
        Path alert = workDir.resolve("templates/slack-alert.yaml");
        List<String> lines = Files.readAllLines(alert);
        int contextLine = lines.indexOf(lines.stream().filter(line -> line.startsWith("context:")).findFirst()
                .orElseThrow()) + 1;
        Files.writeString(alert, Files.readString(alert).replace("\ncontext:", "\ncontxt:"));
        assertThat(failureLine(validEnv())).isEqualTo("templates/slack-alert.yaml:" + contextLine + ": template part"
                + " 'contxt' is unknown; slack-alert.yaml has the parts header, text, fields, error, context,"
                + " resolvedHeader and may have link, linkText, summary");
    }

    /** Issue 23, item 3: a mistake in the maintenance windows stops start-up, naming the file and its line. */
    @Test
    void aMistakeInTheSilencesFileIsNamedWithItsLine() throws Exception {
        Files.writeString(workDir.resolve("silences.yaml"), "windows:\n  - name: nightly\n    match: everything\n"
                + "    from: 2026-12-12T22:00\n    until: soon\n");
        assertThat(failureLine(validEnv())).isEqualTo("silences.yaml:5: window 'nightly': 'until' soon is not a"
                + " date-time such as 2026-12-12T22:00 (or add weekdays for a weekly window)");
    }

    @Test
    void aMissingTemplatesFolderIsNamed() throws Exception {
        try (var templates = Files.newDirectoryStream(workDir.resolve("templates"))) {
            for (Path template : templates) {
                Files.delete(template);
            }
        }
        Files.delete(workDir.resolve("templates"));
        assertThat(failureLine(validEnv())).contains("templates", "alert.templates-dir");
    }

    @Test
    void anInvalidSettingIsNamed() throws Exception {
        Map<String, String> env = validEnv();
        env.put("ALERT_CHANNELS", "slack,pager");
        // which channels exist is known once routes/ is read: each is a file routes/channel-<name>.camel.yaml
        assertThat(failureLine(env)).isEqualTo("channel 'pager' (alert.channels or alert.fallback-channel) is not"
                + " declared in routes/ (did you mean pagerduty?): a channel is a file routes/channel-pager.camel.yaml"
                + " with a route template pager starting at direct:send-pager-alert; routes/ declares alertmanager,"
                + " email, pagerduty, slack, teams");
    }

    /** Issue 20, item 2: five mistakes in the settings stop start-up once, each named with its key and line. */
    @Test
    void fiveMistakesInTheSettingsAreAllNamedAtOnceWithTheirLines() throws Exception {
        Map<String, String> mistakes = new LinkedHashMap<>();
        mistakes.put("phrase.max-retries", "three");
        mistakes.put("monitor.cron", "every five minutes");
        mistakes.put("monitor.max-answer-size", "2 parsecs");
        mistakes.put("alert.send-resolved", "yes");
        mistakes.put("alert.email.timeout", "soon");
        Path properties = workDir.resolve("application.properties");
        String text = Files.readString(properties);
        for (Map.Entry<String, String> mistake : mistakes.entrySet()) {
            text = text.replaceFirst("(?m)^" + Pattern.quote(mistake.getKey()) + "=.*$",
                    mistake.getKey() + "=" + mistake.getValue());
        }
        Files.writeString(properties, text);
        List<String> lines = Files.readAllLines(properties);

        MonitorProcess.Result result = MonitorProcess.runUntilExit(workDir, validEnv(), 60);

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains(CANNOT_START + "5 problems in the settings:");
        for (Map.Entry<String, String> mistake : mistakes.entrySet()) {
            int line = lines.indexOf(mistake.getKey() + "=" + mistake.getValue()) + 1;
            assertThat(result.output()).contains("    application.properties:" + line + ": " + mistake.getKey()
                    + " '" + mistake.getValue() + "'");
        }
    }

    @Test
    void missingCredentialsAreNamed() throws Exception {
        Map<String, String> env = validEnv();
        env.remove("PHRASE_API_TOKEN");
        assertThat(failureLine(env)).contains("PHRASE_API_TOKEN", "PHRASE_USERNAME");
    }

    @Test
    void aMissingApplicationPropertiesIsNamed() throws Exception {
        Files.delete(workDir.resolve("application.properties"));
        assertThat(failureLine(validEnv())).contains("application.properties is missing");
    }

    @Test
    void anUnwritableStateDirIsNamed() throws Exception {
        Path occupied = Files.writeString(workDir.resolve("occupied"), "a file where the state dir should be");
        Map<String, String> env = validEnv();
        env.put("MONITOR_STATE_DIR", occupied.resolve("data").toString());
        assertThat(failureLine(env)).startsWith("monitor.state-dir ").contains("cannot be created", "MONITOR_STATE_DIR");
    }
}
