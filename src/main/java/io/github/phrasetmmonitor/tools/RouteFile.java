package io.github.phrasetmmonitor.tools;

import io.github.phrasetmmonitor.logging.StartupFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.spi.Resource;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * One route file as YAML nodes, which know their line: to name the line of a schema violation, and to find what the
 * routing rules set ({@code setVariable} with a constant) without running them.
 */
final class RouteFile {

    /** A constant a route sets a variable to, and the line of the {@code setVariable}. */
    record Constant(String file, int line, String variable, String value) {
    }

    private final String name;
    private final String text;
    private final Node root;
    private final String unparsable;

    private RouteFile(String name, String text, Node root, String unparsable) {
        this.name = name;
        this.text = text;
        this.root = root;
        this.unparsable = unparsable;
    }

    static RouteFile read(Resource resource, String name) {
        String text;
        try (InputStream in = resource.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new RouteFile(name, "", null, name + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(name).build();
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            Node root = composer.getSingleNode().orElse(null);
            return new RouteFile(name, text, root, null);
        } catch (MarkedYamlEngineException e) {
            String where = e.getProblemMark().map(mark -> ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1))
                    .orElse("");
            return new RouteFile(name, text, null, name + where + ": not YAML: " + StartupFailure.oneLine(e.getProblem()
                    + (e.getContext() == null ? "" : " (" + e.getContext() + ")")));
        } catch (YamlEngineException e) {
            return new RouteFile(name, text, null, name + ": not YAML: " + StartupFailure.oneLine(e.getMessage()));
        }
    }

    String name() {
        return name;
    }

    String text() {
        return text;
    }

    /** Why the file is not YAML, naming its line and column; empty when it parses. */
    Optional<String> unparsable() {
        return Optional.ofNullable(unparsable);
    }

    /**
     * The line (from 1) of the node at {@code path} (mapping keys and sequence indexes), or of the deepest node on
     * the way that exists.
     */
    int lineOf(List<Object> path) {
        Node node = root;
        int line = root == null ? 1 : line(root);
        for (Object element : path) {
            Node next = null;
            if (node instanceof SequenceNode sequence && element instanceof Integer index
                    && index < sequence.getValue().size()) {
                next = sequence.getValue().get(index);
            } else if (node instanceof MappingNode mapping) {
                for (NodeTuple tuple : mapping.getValue()) {
                    if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(String.valueOf(element))) {
                        next = tuple.getValueNode();
                        line = line(tuple.getKeyNode());
                        break;
                    }
                }
            }
            if (next == null) {
                return line;
            }
            node = next;
            line = Math.max(line, line(next));
        }
        return line;
    }

    /** Every {@code setVariable} of {@code variable} to a constant, anywhere in the file, in file order. */
    List<Constant> constants(String variable) {
        List<Constant> found = new ArrayList<>();
        collect(root, variable, found);
        return found;
    }

    private void collect(Node node, String variable, List<Constant> found) {
        if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(child -> collect(child, variable, found));
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && "setVariable".equals(key.getValue())
                        && tuple.getValueNode() instanceof MappingNode set) {
                    Optional<String> name = scalar(set, "name");
                    Optional<String> constant = scalar(set, "constant").or(() -> nested(set, "constant"));
                    if (name.isPresent() && name.get().equals(variable) && constant.isPresent()) {
                        found.add(new Constant(this.name, line(key), variable, constant.get()));
                    }
                }
                collect(tuple.getValueNode(), variable, found);
            }
        }
    }

    /** {@code constant: {expression: x}}, the long form of {@code constant: x}. */
    private static Optional<String> nested(MappingNode set, String key) {
        for (NodeTuple tuple : set.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode name && name.getValue().equals(key)
                    && tuple.getValueNode() instanceof MappingNode inner) {
                return scalar(inner, "expression");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> scalar(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode name && name.getValue().equals(key)
                    && tuple.getValueNode() instanceof ScalarNode value) {
                return Optional.of(value.getValue());
            }
        }
        return Optional.empty();
    }

    private static int line(Node node) {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(1);
    }
}
