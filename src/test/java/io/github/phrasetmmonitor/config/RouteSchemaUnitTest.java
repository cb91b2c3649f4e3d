package io.github.phrasetmmonitor.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route file ops edit, and every demo route, validates against Camel's own YAML DSL schema: the one in the
 * camel-yaml-dsl jar of this build, which editors and tools for Camel YAML (Kaoto, the VS Code Camel extension) check
 * against. Camel's loader is more lenient than the schema (it takes {@code constant: true}), so a file that starts
 * fine can still be flagged in those tools. The files are found by listing {@code routes/} and {@code demo/}, so a new
 * route file is checked without touching this test.
 */
class RouteSchemaUnitTest {

    private static final String CAMEL_SCHEMA = RouteSchema.CAMEL_SCHEMA;
    private static final List<Path> ROUTE_DIRS = List.of(Path.of("routes"), Path.of("routes", "engine"), Path.of("demo"));

    private static RouteSchema schema;

    @BeforeAll
    static void loadSchema() {
        // nothing is fetched from the network (see RouteSchema.load)
        schema = RouteSchema.load();
    }

    @TestFactory
    Stream<DynamicTest> everyRouteFileValidatesAgainstCamelsSchema() throws IOException {
        List<Path> files = routeFiles();
        assertThat(files).as("route files found in %s", ROUTE_DIRS)
                .contains(Path.of("routes", "engine", "poll-translation-memories.camel.yaml"),
                        Path.of("routes", "engine", "monitor-errors.camel.yaml"),
                        Path.of("routes", "alert-routing.camel.yaml"),
                        Path.of("demo", "simulated-phrase-api.camel.yaml"));
        return files.stream().map(file -> DynamicTest.dynamicTest(file.toString(),
                () -> assertThat(violations(Files.readString(file))).as("%s against %s", file, CAMEL_SCHEMA)
                        .isEmpty()));
    }

    @Test
    void aBooleanWhereTheSchemaWantsAStringFailsTheCheck(@TempDir Path dir) throws IOException {
        Path invalid = dir.resolve("invalid.camel.yaml");
        Files.writeString(invalid, errorHandling("true"));

        assertThat(violations(Files.readString(invalid)))
                .as("handled: {constant: true} is a boolean; the schema wants a string")
                .isNotEmpty()
                .contains("/0/routeConfiguration/onException/0/onException/handled/constant = true");
        // the same file with the string "true" passes: the check fails on that boolean, not on something else
        assertThat(violations(errorHandling("\"true\""))).isEmpty();
    }

    @Test
    void aStepCamelDoesNotKnowFailsTheCheck() {
        String unknownStep = """
                - route:
                    id: typo
                    from:
                      uri: direct:typo
                      steps:
                        - sett Body:
                            constant: "0"
                """;
        assertThat(violations(unknownStep)).isNotEmpty();
    }

    private static String errorHandling(String handled) {
        return """
                - routeConfiguration:
                    id: poll-errors
                    onException:
                      - onException:
                          exception:
                            - java.lang.Exception
                          handled:
                            constant: %s
                          steps:
                            - log: "skipped"
                """.formatted(handled);
    }

    /** Where the document breaks the schema, and the value found there, once per place (RouteSchema). */
    private static List<String> violations(String yaml) {
        return schema.violations(yaml).stream().map(violation -> violation.pointer() + " = " + violation.value())
                .toList();
    }

    private static List<Path> routeFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : ROUTE_DIRS) {
            try (Stream<Path> listed = Files.list(dir)) {
                listed.filter(file -> file.getFileName().toString().endsWith(".camel.yaml")).sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }
}
