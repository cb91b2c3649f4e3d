package io.github.phrasetmmonitor.alert;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import io.github.phrasetmmonitor.text.SafeText;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The wording of every alert, from {@code templates/*.yaml} in the working directory (next to {@code routes/}), so ops
 * can change it with a restart and no rebuild. Each file maps parts (subject, text, html, header, ...) to Mustache
 * templates. Files are read and compiled once at start-up: a missing file, a missing part, a part the file does not
 * have (a misspelled {@code contxt:}, which would otherwise go unnoticed) or a template that does not compile stops the
 * monitor with a line naming the file.
 *
 * <p>Values reach a template already escaped for its format (see {@link AlertValues}); Mustache's own HTML escaping
 * is off, so {@code {{x}}} and {@code {{{x}}}} are the same and neither can bypass the channel's escaping.
 */
public final class AlertTemplates {

    /** Each template file and its parts: it must have each of them, and no other but its {@link #OPTIONAL} ones. */
    static final Map<String, List<String>> REQUIRED = Map.of(
            "slack-alert", List.of("header", "text", "fields", "error", "context", "resolvedHeader"),
            "slack-resolved", List.of("header", "text", "body", "context"),
            "slack-digest", List.of("header", "text", "intro", "item", "more", "context"),
            "email-alert", List.of("subject", "text", "html"),
            "email-resolved", List.of("subject", "text", "html"),
            "email-digest", List.of("subject", "text", "html"),
            "slack-problem", List.of("header", "text", "body", "context"),
            "email-problem", List.of("subject", "text", "html"),
            "slack-problem-digest", List.of("header", "text", "intro", "item", "more", "context"),
            "email-problem-digest", List.of("subject", "text", "html"));

    /**
     * The parts a template file may have beside its required ones: without them, what they add is left out, so a
     * templates/ folder written for an earlier release still loads. Slack's {@code link} and {@code linkText} are a
     * button below the message (the TM in Phrase). {@code summary} words the scheduled summaries (its labels: Slack
     * header, text, body; email subject, text, html), with a built-in wording when absent.
     */
    static final Map<String, List<String>> OPTIONAL = Map.of(
            "slack-alert", List.of("link", "linkText", "summary"),
            "email-alert", List.of("summary"),
            "slack-resolved", List.of("link", "linkText"),
            "slack-problem", List.of("link", "linkText"));

    /** A Mustache compiler that leaves values as they are: they arrive escaped for their format (summaries' too). */
    public static MustacheFactory unescapedMustache() {
        return new Unescaped();
    }

    /** Mustache without its own escaping: values arrive escaped for their format already. */
    private static final class Unescaped extends DefaultMustacheFactory {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Compiled parts by template name; a labelled part (label -> template) by "template#part". */
    private volatile Map<String, Map<String, Mustache>> parts;

    private AlertTemplates(Map<String, Map<String, Mustache>> parts) {
        this.parts = parts;
    }

    /**
     * From now on, words notices as {@code newer} does: a reload of the configuration swaps the wording in one step
     * for every composer that holds these templates, so a notice is rendered wholly by the old or the new files.
     */
    public void takeOver(AlertTemplates newer) {
        this.parts = newer.parts;
    }

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    public static AlertTemplates load(Path dir) {
        List<String> problems = new ArrayList<>();
        AlertTemplates templates = compileAll(dir, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0));
        }
        return templates;
    }

    /**
     * Every problem of the templates in {@code dir}, one line each naming the file (and its part), as {@link #load}
     * would report the first of them; empty when they all load.
     */
    public static List<String> problems(Path dir) {
        List<String> problems = new ArrayList<>();
        compileAll(dir, problems);
        return problems;
    }

    /** Compiles every template it can; what it cannot is added to {@code problems}, file by file and part by part. */
    private static AlertTemplates compileAll(Path dir, List<String> problems) {
        return compile(dir, REQUIRED, OPTIONAL, problems);
    }

    /**
     * The template files named in {@code files} (name without .yaml, and the parts each must have, and no other),
     * compiled; what cannot be is added to {@code problems}, one line each naming the file (and its part). For
     * channels declared in routes/, whose files are theirs to name.
     */
    public static AlertTemplates compile(Path dir, Map<String, List<String>> files, List<String> problems) {
        return compile(dir, files, Map.of(), problems);
    }

    /** As {@link #compile(Path, Map, List)}, with the parts each file may have beside its required ones. */
    static AlertTemplates compile(Path dir, Map<String, List<String>> files, Map<String, List<String>> optional,
                                  List<String> problems) {
        Map<String, Map<String, Mustache>> parts = new LinkedHashMap<>();
        Unescaped mustache = new Unescaped();
        for (Map.Entry<String, List<String>> template : new TreeMap<>(files).entrySet()) {
            Path file = dir.resolve(template.getKey() + ".yaml");
            Map<?, ?> yaml;
            try {
                yaml = read(file);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                continue;
            }
            List<String> mayHave = optional.getOrDefault(template.getKey(), List.of());
            List<String> known = new ArrayList<>(template.getValue());
            known.addAll(mayHave);
            problems.addAll(unknownParts(file, template.getValue(), mayHave));
            Map<String, Mustache> compiled = new LinkedHashMap<>();
            for (String part : known) {
                if (mayHave.contains(part) && !yaml.containsKey(part)) {
                    continue;
                }
                try {
                    Object value = yaml.get(part);
                    if (value instanceof String text) {
                        compiled.put(part, compile(mustache, file, part, text));
                    } else if (value instanceof Map<?, ?> map && !map.isEmpty()) {
                        Map<String, Mustache> entries = new LinkedHashMap<>();
                        map.forEach((label, text) -> entries.put(String.valueOf(label),
                                compile(mustache, file, part + "." + label, String.valueOf(text))));
                        parts.put(template.getKey() + "#" + part, entries);
                    } else {
                        throw new IllegalArgumentException("template " + file + " has no '" + part + "'");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
            parts.put(template.getKey(), compiled);
        }
        return new AlertTemplates(parts);
    }

    /**
     * The parts of {@code file} that are not among {@code known}, each in one line with the file and its line: the
     * monitor would never render them, so a misspelled part name is a mistake to show, not to skip.
     */
    private static List<String> unknownParts(Path file, List<String> required, List<String> optional) {
        List<String> unknown = new ArrayList<>();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return unknown; // read() said so already
        }
        Optional<Node> root = new Compose(LoadSettings.builder().setLabel(file.toString()).build())
                .composeString(text);
        if (root.isEmpty() || !(root.get() instanceof MappingNode parts)) {
            return unknown;
        }
        for (NodeTuple part : parts.getValue()) {
            String name = part.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "?";
            if (!required.contains(name) && !optional.contains(name)) {
                String line = part.getKeyNode().getStartMark().map(mark -> ":" + (mark.getLine() + 1)).orElse("");
                unknown.add(file + line + ": template part '" + SafeText.line(name, 100) + "' is unknown; "
                        + file.getFileName() + " has the parts " + String.join(", ", required)
                        + (optional.isEmpty() ? "" : " and may have " + String.join(", ", optional)));
            }
        }
        return unknown;
    }

    /** Whether the template file was compiled. */
    public boolean has(String template) {
        return parts.containsKey(template);
    }

    /** Whether the template file has {@code part} as labelled templates (an optional part may be absent). */
    public boolean hasLabelled(String template, String part) {
        return parts.containsKey(template + "#" + part);
    }

    /** One part rendered with {@code values}. */
    public String render(String template, String part, Map<String, ?> values) {
        Mustache mustache = parts.get(template).get(part);
        if (mustache == null) {
            throw new IllegalArgumentException("template " + template + " has no part " + part);
        }
        return execute(mustache, values);
    }

    /** An optional part rendered with {@code values}; empty when the file does not have it. */
    public String renderIfPresent(String template, String part, Map<String, ?> values) {
        Mustache mustache = parts.get(template).get(part);
        return mustache == null ? "" : execute(mustache, values);
    }

    /** A part that maps labels to templates (Slack's fields), each rendered with {@code values}, in file order. */
    public Map<String, String> renderEach(String template, String part, Map<String, ?> values) {
        Map<String, Mustache> entries = parts.get(template + "#" + part);
        if (entries == null) {
            throw new IllegalArgumentException("template " + template + " has no labelled part " + part);
        }
        Map<String, String> rendered = new LinkedHashMap<>();
        entries.forEach((label, mustache) -> rendered.put(label, execute(mustache, values)));
        return rendered;
    }

    private static String execute(Mustache mustache, Map<String, ?> values) {
        StringWriter out = new StringWriter();
        mustache.execute(out, values);
        return out.toString();
    }

    private static Map<?, ?> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("template " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + "); the templates/ folder belongs next to routes/ (alert.templates-dir)");
        }
        Object yaml;
        try {
            yaml = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("template " + file + " is not valid YAML: "
                    + e.getMessage().replaceAll("\\s*[\\r\\n]+\\s*", " | "));
        }
        if (!(yaml instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("template " + file + " is not a map of parts (subject: ..., text: ...)");
        }
        return map;
    }

    private static Mustache compile(Unescaped mustache, Path file, String part, String text) {
        try {
            return mustache.compile(new StringReader(text), file.getFileName() + ":" + part);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("template " + file + " part '" + part + "' does not compile: "
                    + String.valueOf(e.getMessage()).replaceAll("\\s*[\\r\\n]+\\s*", " | "));
        }
    }
}
