package io.github.phrasetmmonitor.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 24, item 3: alert.phrase-tm-url, its default per data centre, its off switch and its checks. */
class TmLinksUnitTest {

    private static final Map<String, String> MINIMAL = Map.of(
            "phrase.api-token", "token-1",
            "alert.channels", "slack",
            "alert.slack.webhook-url", "https://hooks.slack.com/services/T000/B000/SECRET123");

    private static SettingsReader read(Map<String, String> changes) {
        Map<String, String> values = new HashMap<>(MINIMAL);
        values.putAll(changes);
        SettingsReader reader = new SettingsReader(key -> Optional.ofNullable(values.get(key)));
        MonitorSettings.read(reader);
        return reader;
    }

    private static TmLinks links(Map<String, String> changes) {
        Map<String, String> values = new HashMap<>(MINIMAL);
        values.putAll(changes);
        return MonitorSettings.from(key -> Optional.ofNullable(values.get(key))).tmLinks();
    }

    @Test
    void byDefaultTheTmPageOfTheRegionsDataCentre() {
        assertThat(links(Map.of()).of("5eXnMn1xTdSB6lQzOJ5ko2"))
                .hasValue("https://cloud.memsource.com/web/transMemory/show/5eXnMn1xTdSB6lQzOJ5ko2");
        assertThat(links(Map.of("phrase.region", "us")).of("tm1"))
                .hasValue("https://us.cloud.memsource.com/web/transMemory/show/tm1");
    }

    @Test
    void byDefaultTheHostOfTheBaseUrlWhereverItPoints() {
        assertThat(links(Map.of("phrase.base-url", "https://us.cloud.memsource.com/web")).of("tm1"))
                .hasValue("https://us.cloud.memsource.com/web/transMemory/show/tm1");
        assertThat(links(Map.of("phrase.base-url", "http://127.0.0.1:8089/some/proxy/web")).of("tm1"))
                .as("a stand-in or a proxy: its host and port, Phrase's path")
                .hasValue("http://127.0.0.1:8089/web/transMemory/show/tm1");
        assertThat(links(Map.of("phrase.base-url", "https://user:pw@phrase.proxy.example/web")).of("tm1"))
                .as("never a login the base URL carries").hasValue("https://phrase.proxy.example/web/transMemory/show/tm1");
    }

    @Test
    void aTemplateOfOwnPutsTheUidWhereItSays() {
        assertThat(links(Map.of("alert.phrase-tm-url", "https://sso.example/go?to=tm&uid={tmUid}")).of("tm1"))
                .hasValue("https://sso.example/go?to=tm&uid=tm1");
    }

    @Test
    void offMeansNoLink() {
        assertThat(links(Map.of("alert.phrase-tm-url", "off")).of("tm1")).isEmpty();
        assertThat(links(Map.of("alert.phrase-tm-url", "OFF")).of("tm1")).isEmpty();
        assertThat(links(Map.of()).of(null)).as("no TM, no link").isEmpty();
    }

    @Test
    void theUidIsUrlEscaped() {
        assertThat(links(Map.of()).of("a b/c?d&e<f>\"g#h|i"))
                .hasValue("https://cloud.memsource.com/web/transMemory/show/a%20b%2Fc%3Fd%26e%3Cf%3E%22g%23h%7Ci");
    }

    @Test
    void aTemplateWithoutTheUidIsOneProblemNamingTheKey() {
        SettingsReader reader = read(Map.of("alert.phrase-tm-url", "https://cloud.memsource.com/web/transMemory"));

        assertThat(reader.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).hasValue("alert.phrase-tm-url");
            assertThat(problem.message()).startsWith("alert.phrase-tm-url has no {tmUid}").contains("off");
        });
    }

    @Test
    void aTemplateThatIsNoWebAddressIsOneProblemNamingTheKey() {
        for (String wrong : new String[] {"javascript:alert({tmUid})", "cloud.memsource.com/{tmUid}",
                "https://exa mple.com/{tmUid}"}) {
            SettingsReader reader = read(Map.of("alert.phrase-tm-url", wrong));

            assertThat(reader.problems()).as(wrong).singleElement().satisfies(problem -> {
                assertThat(problem.key()).hasValue("alert.phrase-tm-url");
                assertThat(problem.message()).startsWith("alert.phrase-tm-url is not an http(s) URL with {tmUid}");
            });
        }
    }
}
