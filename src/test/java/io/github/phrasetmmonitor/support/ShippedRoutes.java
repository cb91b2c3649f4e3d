package io.github.phrasetmmonitor.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The shipped routing rules as ops turn them on: the example in routes/alert-routing.camel.yaml, copied to its place. */
public final class ShippedRoutes {

    public static final String ROUTING_FILE = "alert-routing.camel.yaml";

    private ShippedRoutes() {
    }

    /**
     * The routing file with the example of its header turned on, as the README says: copied without the leading
     * "#" where the route says "your routing rules". The example sends Legal TMs to the webhook "legal" and
     * legal-ops@yourcompany.example, and the monitor's problems to platform-team@yourcompany.example by email.
     */
    public static String withTheExampleTurnedOn(String shipped) {
        List<String> lines = shipped.lines().toList();
        int from = lines.indexOf("#        - choice:");
        assertThat(from).as("the shipped routing file has the example").isNotNegative();
        int to = from;
        while (lines.get(to + 1).startsWith("#    ")) {
            to++;
        }
        String example = String.join("\n", lines.subList(from, to + 1).stream().map(line -> line.substring(1))
                .toList()) + "\n";
        String marker = "        # your routing rules: a choice here (see the example above)\n";
        assertThat(shipped).as("the shipped routing file has the place for rules").contains(marker);
        return shipped.replace(marker, example);
    }

    /** Turns the example on in a copy of the routes (a work dir's routes/ folder). */
    public static void turnOnTheExample(Path routesDir) throws IOException {
        Path file = routesDir.resolve(ROUTING_FILE);
        Files.writeString(file, withTheExampleTurnedOn(Files.readString(file)));
    }
}
