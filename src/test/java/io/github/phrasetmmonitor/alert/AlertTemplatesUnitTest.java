package io.github.phrasetmmonitor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19, item 5: a part a template file does not have is a mistake, named with its file and line. */
class AlertTemplatesUnitTest {

    @TempDir
    Path dir;

    private Path shippedCopy() throws IOException {
        try (var files = Files.newDirectoryStream(Path.of("templates"), "*.yaml")) {
            for (Path file : files) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        return dir;
    }

    @Test
    void theShippedTemplatesHaveEveryPartAndNoOther() {
        assertThat(AlertTemplates.problems(Path.of("templates"))).isEmpty();
    }

    @Test
    void aPartTheFileDoesNotHaveIsOneLineWithItsFileAndLineAndTheKnownParts() throws IOException {
        Path resolved = shippedCopy().resolve("slack-resolved.yaml");
        List<String> lines = Files.readAllLines(resolved);
        Files.writeString(resolved, String.join("\n", lines) + "\nfooter: \"{{tmName}} is fine\"\n");
        int footerLine = lines.size() + 1;
        String expected = resolved + ":" + footerLine + ": template part 'footer' is unknown; slack-resolved.yaml has"
                + " the parts header, text, body, context and may have link, linkText";

        assertThat(AlertTemplates.problems(dir)).containsExactly(expected);
        assertThatThrownBy(() -> AlertTemplates.load(dir)).as("start-up refuses it, as it does an unknown setting")
                .isInstanceOf(IllegalArgumentException.class).hasMessage(expected);
    }

    /** A templates/ folder written before the Slack button still loads: the button is left out. */
    @Test
    void aSlackTemplateWithoutTheOptionalButtonPartsLoads() throws IOException {
        Path alert = shippedCopy().resolve("slack-alert.yaml");
        Files.writeString(alert, Files.readString(alert).replaceAll("(?m)^link(Text)?: .*\n", ""));
        assertThat(Files.readString(alert)).doesNotContain("\nlink:", "\nlinkText:");

        assertThat(AlertTemplates.problems(dir)).isEmpty();
        assertThat(AlertTemplates.load(dir).renderIfPresent("slack-alert", "link", java.util.Map.of("tmUrl", "x")))
                .isEmpty();
    }

    @Test
    void aMisspelledPartIsNamedBeforeThePartItLeavesMissing() throws IOException {
        Path alert = shippedCopy().resolve("slack-alert.yaml");
        List<String> lines = Files.readAllLines(alert);
        int contextLine = lines.indexOf(lines.stream().filter(line -> line.startsWith("context:")).findFirst()
                .orElseThrow()) + 1;
        Files.writeString(alert, Files.readString(alert).replace("\ncontext:", "\ncontxt:"));

        assertThat(AlertTemplates.problems(dir)).containsExactly(
                alert + ":" + contextLine + ": template part 'contxt' is unknown; slack-alert.yaml has the parts"
                        + " header, text, fields, error, context, resolvedHeader and may have link, linkText, summary",
                "template " + alert + " has no 'context'");
    }
}
