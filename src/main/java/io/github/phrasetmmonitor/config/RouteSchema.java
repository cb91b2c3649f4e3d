package io.github.phrasetmmonitor.config;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Camel's own YAML DSL schema, the one in the camel-yaml-dsl jar of this build, which editors and tools for Camel
 * YAML (Kaoto, the VS Code Camel extension) check route files against. Camel's loader is more lenient than the schema
 * (it takes {@code constant: true}), so a file that starts fine can still be flagged in those tools; the
 * {@code validate} tool and {@code RouteSchemaUnitTest} hold the route files to it.
 */
public final class RouteSchema {

    /** In camel-yaml-dsl-4.18.0.jar; a draft-04 schema, whose meta-schema the validator ships. */
    public static final String CAMEL_SCHEMA = "classpath:schema/camelYamlDsl.json";

    /**
     * One place where a document breaks the schema: its path (each element a mapping key or a sequence index), the
     * value found there, and the validator's words.
     */
    public record Violation(List<Object> path, String value, String message) {

        /** The path as a JSON pointer, e.g. /0/route/from/steps/2. */
        public String pointer() {
            StringBuilder pointer = new StringBuilder();
            path.forEach(element -> pointer.append('/').append(element));
            return pointer.toString();
        }
    }

    private final Schema schema;

    private RouteSchema(Schema schema) {
        this.schema = schema;
    }

    /**
     * Loads the schema. Nothing is fetched from the network: the draft-04 meta-schema comes from the validator's jar,
     * the schema from Camel's; a reference to anything else fails here instead of being downloaded.
     */
    public static RouteSchema load() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4,
                builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));
        Schema schema = registry.getSchema(SchemaLocation.of(CAMEL_SCHEMA));
        schema.initializeValidators();
        return new RouteSchema(schema);
    }

    /**
     * Where the document breaks the schema, once per place, outermost last: the validator reports each alternative of
     * a oneOf that did not match, and the places that hold a deeper violation, which say no more than where.
     */
    public List<Violation> violations(String yaml) {
        Map<String, Violation> byPlace = new LinkedHashMap<>();
        for (Error error : schema.validate(yaml, InputFormat.YAML)) {
            List<Object> path = new ArrayList<>();
            for (int i = 0; i < error.getInstanceLocation().getNameCount(); i++) {
                path.add(error.getInstanceLocation().getElement(i));
            }
            Violation violation = new Violation(List.copyOf(path), String.valueOf(error.getInstanceNode()),
                    error.getMessage());
            byPlace.putIfAbsent(violation.pointer(), violation);
        }
        List<Violation> deepest = new ArrayList<>();
        for (Violation violation : byPlace.values()) {
            boolean holdsDeeper = byPlace.keySet().stream()
                    .anyMatch(other -> other.startsWith(violation.pointer() + "/"));
            if (!holdsDeeper) {
                deepest.add(violation);
            }
        }
        deepest.sort((a, b) -> a.pointer().compareTo(b.pointer()));
        return deepest;
    }
}
