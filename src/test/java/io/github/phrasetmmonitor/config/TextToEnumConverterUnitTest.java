package io.github.phrasetmmonitor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.phrasetmmonitor.classify.TaskOutcome;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.converter.EnumTypeConverter;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * The direct String-to-enum converter matches exactly what Camel's own enum conversion matches, and makes the
 * registry find a converter at once instead of scanning all of them on every {@code ${variable.outcome} == 'FAILED'}.
 */
class TextToEnumConverterUnitTest {

    private static final List<String> TEXTS = List.of("FAILED", "failed", "  Running ", "OK_WITH_WARNINGS",
            "ok-with-warnings", "okWithWarnings", "no_task", "NO-TASK", "OK", "ok ", "nope", "", "FAILED!");

    @Test
    void convertsEveryTextAsCamelsEnumConversionDoes() {
        // without a CamelContext, Camel's converter goes straight to its own matching: the reference behaviour
        EnumTypeConverter camels = new EnumTypeConverter();
        TextToEnumConverter ours = new TextToEnumConverter();
        for (String text : TEXTS) {
            Object expected;
            try {
                expected = camels.convertTo(TaskOutcome.class, null, text);
            } catch (IllegalArgumentException e) {
                assertThatThrownBy(() -> ours.convertTo(TaskOutcome.class, null, text)).as("'%s'", text)
                        .isInstanceOf(IllegalArgumentException.class).hasMessage(e.getMessage());
                assertThat(ours.tryConvertTo(TaskOutcome.class, null, text)).isNull();
                continue;
            }
            assertThat(ours.convertTo(TaskOutcome.class, null, text)).as("'%s'", text).isEqualTo(expected);
        }
    }

    @Test
    void theRoutesComparisonFindsADirectConverterAndStillMatches() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            assertThat(context.getTypeConverterRegistry().lookup(TaskOutcome.class, String.class))
                    .as("Camel has no direct converter of its own, so each conversion scans the registry").isNull();

            TextToEnumConverter.register(context.getTypeConverterRegistry(), TaskOutcome.class);

            assertThat(context.getTypeConverterRegistry().lookup(TaskOutcome.class, String.class))
                    .isInstanceOf(TextToEnumConverter.class);
            Predicate failed = context.resolveLanguage("simple").createPredicate("${variable.outcome} == 'FAILED'");
            Predicate running = context.resolveLanguage("simple").createPredicate("${variable.outcome} == 'running'");
            assertThat(failed.matches(withOutcome(context, TaskOutcome.FAILED))).isTrue();
            assertThat(failed.matches(withOutcome(context, TaskOutcome.OK))).isFalse();
            assertThat(running.matches(withOutcome(context, TaskOutcome.RUNNING))).isTrue();
            assertThat(context.getTypeConverter().convertTo(TaskOutcome.class, "ok-with-warnings"))
                    .isEqualTo(TaskOutcome.OK_WITH_WARNINGS);
        }
    }

    @Test
    void onlyEnumsCanBeRegistered() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            assertThatThrownBy(() -> TextToEnumConverter.register(context.getTypeConverterRegistry(), String.class))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static Exchange withOutcome(CamelContext context, TaskOutcome outcome) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setVariable("outcome", outcome);
        return exchange;
    }
}
