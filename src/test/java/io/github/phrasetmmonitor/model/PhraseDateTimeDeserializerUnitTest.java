package io.github.phrasetmmonitor.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhraseDateTimeDeserializerUnitTest {

    record Stamped(@JsonDeserialize(using = PhraseDateTimeDeserializer.class) OffsetDateTime at, String name) {
    }

    private static final OffsetDateTime INSTANT = OffsetDateTime.of(2023, 11, 7, 5, 31, 56, 0, ZoneOffset.UTC);

    private final ObjectMapper mapper = new ObjectMapper();

    private Stamped read(String at) throws Exception {
        return mapper.readValue("{\"at\":\"" + at + "\",\"name\":\"kept\"}", Stamped.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-11-07T05:31:56Z", "2023-11-07T05:31:56+0000", "2023-11-07T05:31:56+00:00",
            "2023-11-07T07:31:56+0200", "2023-11-07T07:31:56+02:00", "2023-11-07T05:31:56", " 2023-11-07T05:31:56Z "})
    void phraseFormatsParseToTheSameUtcInstant(String text) throws Exception {
        OffsetDateTime at = read(text).at();

        assertThat(at).isEqualTo(INSTANT);
        assertThat(at.getOffset()).isEqualTo(ZoneOffset.UTC);
    }

    @ParameterizedTest
    @CsvSource({"2023-11-07T05:31:56.123Z", "2023-11-07T05:31:56.123+0000", "2023-11-07T05:31:56.123+00:00"})
    void fractionalSecondsAreKept(String text) throws Exception {
        assertThat(read(text).at()).isEqualTo(INSTANT.plusNanos(123_000_000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-11-07T05:31:56+0200"})
    void positiveOffsetIsConvertedToUtc(String text) throws Exception {
        OffsetDateTime at = read(text).at();

        assertThat(at.getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(at.toLocalTime()).hasToString("03:31:56");
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "2023-13-45T99:99:99Z", "07/11/2023", "", "2023-11-07T05:31:56+99"})
    void unreadableDateBecomesNullWithoutFailingTheDocument(String text) throws Exception {
        Stamped stamped = read(text);

        assertThat(stamped.at()).isNull();
        assertThat(stamped.name()).isEqualTo("kept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"epoch\":1,\"nested\":{\"x\":[1,2]}}", "[2023,11,7]"})
    void aStructuredDateIsSkippedWholeAndTheFieldsAfterItSurvive(String value) throws Exception {
        Stamped stamped = mapper.readValue("{\"at\":" + value + ",\"name\":\"kept\"}", Stamped.class);

        assertThat(stamped.at()).isNull();
        assertThat(stamped.name()).isEqualTo("kept");
    }

    /** The fast path for Phrase's usual forms reads each exactly as the general formatter does, or leaves it to it. */
    @ParameterizedTest
    @ValueSource(strings = {"2023-11-07T05:31:56Z", "2023-11-07T05:31:56+0000", "2023-11-07T05:31:56+00:00",
            "2023-11-07T07:31:56+0200", "2023-11-07T01:31:56-04:00", "2023-11-07T05:31:56.1Z",
            "2023-11-07T05:31:56.123456789Z", "2023-11-07T05:31:56.123+0530", "2024-02-29T23:59:59Z",
            "2023-02-29T05:31:56Z", "2023-11-07T05:31:56.Z", "2023-11-07T05:31:56.1234567891Z", "2023-11-07T05:31:56+2",
            "2023-11-07T05:31:56+1900", "2023-11-07T05:31:56 Z", "2023-11-07T05:31:5xZ", "2023-11-07T05:31:56z"})
    void theFastPathAgreesWithTheFormatter(String text) {
        OffsetDateTime fast = PhraseDateTimeDeserializer.parseCommonForm(text);
        if (fast != null) {
            assertThat(fast).isEqualTo(PhraseDateTimeDeserializer.parseWithFormatter(text));
        }
        if (text.equals("2023-11-07T05:31:56Z") || text.equals("2023-11-07T05:31:56+0000")) {
            assertThat(fast).as("the usual forms take the fast path").isNotNull();
        }
    }
}
