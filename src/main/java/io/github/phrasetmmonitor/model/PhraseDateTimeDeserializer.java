package io.github.phrasetmmonitor.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Phrase sends timestamps both as {@code 2023-11-07T05:31:56Z} and as {@code 2023-11-07T05:31:56+0000}.
 * A date we cannot read must not hide a failed task, so it becomes null instead of failing the document.
 */
public final class PhraseDateTimeDeserializer extends JsonDeserializer<OffsetDateTime> {

    private static final DateTimeFormatter PHRASE_FORMAT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .parseDefaulting(ChronoField.OFFSET_SECONDS, 0)
            .toFormatter();

    /**
     * The forms Phrase sends nearly always, {@code 2023-11-07T05:31:56Z}, {@code …56.123Z}, {@code …56+0000},
     * {@code …56+00:00}, read without the formatter: every polled task has one or more, and the formatter's general
     * parse was a fifth of what a poll allocates (BENCHMARKS.md). Null for any other form, which the formatter reads.
     */
    static OffsetDateTime parseCommonForm(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (text.charAt(at) == '.') {
            int start = ++at;
            while (at < length && at - start < 9 && Character.isDigit(text.charAt(at))) {
                nanos = nanos * 10 + (text.charAt(at++) - '0');
            }
            if (at == start || at < length && Character.isDigit(text.charAt(at))) {
                return null;
            }
            for (int scale = at - start; scale < 9; scale++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        String offset = text.substring(at);
        if (offset.equals("Z")) {
            offsetSeconds = 0;
        } else if ((offset.length() == 5 || offset.length() == 6 && offset.charAt(3) == ':')
                && (offset.charAt(0) == '+' || offset.charAt(0) == '-')) {
            int hours = digits(offset, 1, 2);
            int minutes = digits(offset, offset.length() - 2, 2);
            if ((hours | minutes) < 0 || hours > 18 || minutes > 59) {
                return null;
            }
            offsetSeconds = (offset.charAt(0) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        } else {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nanos,
                    ZoneOffset.ofTotalSeconds(offsetSeconds)).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException outOfRange) {
            return null;
        }
    }

    /** The number written by {@code count} digits from {@code start}; -1 when one of them is not a digit. */
    private static int digits(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    @Override
    public OffsetDateTime deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() == JsonToken.START_OBJECT || parser.currentToken() == JsonToken.START_ARRAY) {
            // step over the whole value, or the fields after it would be read as its children
            parser.skipChildren();
            return null;
        }
        return parse(parser.getValueAsString());
    }

    public static OffsetDateTime parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        OffsetDateTime fast = parseCommonForm(text);
        return fast != null ? fast : parseWithFormatter(text);
    }

    /** Any form the formatter reads; null for one it does not. */
    static OffsetDateTime parseWithFormatter(String text) {
        try {
            return OffsetDateTime.parse(text.trim(), PHRASE_FORMAT).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }
}
