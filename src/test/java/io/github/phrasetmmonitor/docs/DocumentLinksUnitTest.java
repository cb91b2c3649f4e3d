package io.github.phrasetmmonitor.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the project's Markdown (README.md, BENCHMARKS.md, docs/) leads somewhere: the file exists, and
 * an anchor names a heading of that file, spelled as GitHub spells heading anchors. A newcomer who follows a link from
 * the README and lands nowhere stops reading.
 */
class DocumentLinksUnitTest {

    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
    private static final Pattern EXPLICIT_ANCHOR = Pattern.compile("<a (?:id|name)=\"([^\"]+)\"");

    @Test
    void everyRelativeLinkAndAnchorResolves() {
        List<String> broken = new ArrayList<>();
        for (Path document : documents()) {
            List<String> lines = read(document);
            for (int i = 0; i < lines.size(); i++) {
                Matcher link = LINK.matcher(lines.get(i));
                while (link.find()) {
                    String problem = problemOf(document, link.group(1));
                    if (problem != null) {
                        broken.add(PROJECT.relativize(document) + ":" + (i + 1) + ": " + link.group(1) + " - " + problem);
                    }
                }
            }
        }
        assertThat(broken).as("links that lead nowhere").isEmpty();
    }

    @Test
    void anchorsAreSpelledAsGitHubSpellsThem() {
        assertThat(anchors(List.of("## Operator tools: validate, explain, test-alert", "## Messages: `templates/`",
                "## Stopping", "## Stopping", "- <a id=\"email-recipients\"></a>**Email recipients**")))
                .containsExactlyInAnyOrder("operator-tools-validate-explain-test-alert", "messages-templates",
                        "stopping", "stopping-1", "email-recipients");
        assertThat(problemOf(PROJECT.resolve("README.md"), "#no-such-heading-anywhere")).isNotNull();
        assertThat(problemOf(PROJECT.resolve("README.md"), "no-such-file.md")).isNotNull();
    }

    private static List<Path> documents() {
        List<Path> documents = new ArrayList<>();
        try (Stream<Path> top = Files.list(PROJECT)) {
            top.filter(path -> path.toString().endsWith(".md")).forEach(documents::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path docs = PROJECT.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> tree = Files.walk(docs)) {
                tree.filter(path -> path.toString().endsWith(".md")).forEach(documents::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(documents).as("Markdown files to check").isNotEmpty();
        return documents;
    }

    /** Why the link from this document does not resolve, or null when it does. */
    private static String problemOf(Path document, String target) {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null; // http:, https:, mailto: - outside the project
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path linked = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
        if (!linked.startsWith(PROJECT)) {
            return "leads outside the project";
        }
        if (!Files.exists(linked)) {
            return "no such file";
        }
        if (anchor == null || anchor.isEmpty() || Files.isDirectory(linked) || !linked.toString().endsWith(".md")) {
            return null;
        }
        return anchors(read(linked)).contains(anchor) ? null : "no heading with that anchor in " + PROJECT.relativize(linked);
    }

    /**
     * The anchors of a Markdown file: those GitHub gives its headings (lower case, punctuation dropped, spaces as
     * hyphens, repeats numbered) and explicit {@code <a id="…">} ones.
     */
    private static Set<String> anchors(List<String> lines) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : lines) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                continue;
            }
            Matcher explicit = EXPLICIT_ANCHOR.matcher(line);
            while (!inFence && explicit.find()) {
                anchors.add(explicit.group(1));
            }
            Matcher heading = HEADING.matcher(line);
            if (inFence || !heading.matches()) {
                continue;
            }
            String slug = heading.group(2).toLowerCase(Locale.ROOT)
                    .replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
                    .replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
            int count = seen.merge(slug, 1, Integer::sum);
            anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
        return anchors;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
