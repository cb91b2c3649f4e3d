package io.github.phrasetmmonitor.config;

import org.apache.camel.Exchange;
import org.apache.camel.TypeConverter;
import org.apache.camel.spi.TypeConverterRegistry;
import org.apache.camel.support.TypeConverterSupport;
import org.apache.camel.util.StringHelper;

/**
 * Text to an enum constant, exactly as Camel's own enum conversion matches it (trimmed, case-insensitive, and
 * {@code dashed-name} or {@code camelCase} to {@code UPPER_UNDERSCORE}), registered as a direct converter for the
 * enums the routes compare with text on every poll.
 *
 * <p>Why it exists: before it converts, Camel 4.18's {@code EnumTypeConverter} asks the registry for a direct
 * String-to-that-enum converter. There is none, and a miss is not cached, so every conversion scans every converter
 * Camel knows, three times, walking each class's interfaces recursively. {@code ${variable.outcome} == 'FAILED'}
 * converts once or twice per TM and round; in the benchmark (BENCHMARKS.md) those scans were half of all the memory
 * the monitor allocated. A direct converter turns each of them into one map lookup; the result is the same.
 */
final class TextToEnumConverter extends TypeConverterSupport {

    /** Registers the converter from String to each of {@code enums}. */
    static void register(TypeConverterRegistry registry, Class<?>... enums) {
        TypeConverter converter = new TextToEnumConverter();
        for (Class<?> type : enums) {
            if (!type.isEnum()) {
                throw new IllegalArgumentException(type + " is not an enum");
            }
            registry.addTypeConverter(type, String.class, converter);
        }
    }

    @Override
    public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
        if (!type.isEnum() || value == null) {
            return null;
        }
        String text = value.toString().trim();
        T constant = constantNamed(type, text);
        if (constant == null) {
            String upperUnderscore = StringHelper.asEnumConstantValue(text);
            constant = upperUnderscore.equals(text) ? null : constantNamed(type, upperUnderscore);
        }
        if (constant == null) {
            throw new IllegalArgumentException(
                    "Enum class " + type + " does not have any constant with value: " + text);
        }
        return constant;
    }

    private static <T> T constantNamed(Class<T> type, String name) {
        for (T constant : type.getEnumConstants()) {
            if (((Enum<?>) constant).name().equalsIgnoreCase(name)) {
                return constant;
            }
        }
        return null;
    }
}
