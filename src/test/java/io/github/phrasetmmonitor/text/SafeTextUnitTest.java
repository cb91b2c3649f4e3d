package io.github.phrasetmmonitor.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 14, item 5: every value from Phrase is bounded, and loses what would hide or forge what people read. */
class SafeTextUnitTest {

    private static final String GRINNING = "\uD83D\uDE00"; // U+1F600, a surrogate pair

    private static int characters(String text) {
        return text.codePointCount(0, text.length());
    }

    @Test
    void ordinaryTextIsTheVeryStringItWas() {
        String name = "Legal EN-DE (2024) – Übersetzungen " + GRINNING;

        assertThat(SafeText.name(name)).isSameAs(name);
        assertThat(SafeText.id("5eXnMn1xTdSB6lQzOJ5ko2")).isEqualTo("5eXnMn1xTdSB6lQzOJ5ko2");
        assertThat(SafeText.error("line 12: bad element\nline 40: bad attribute"))
                .isEqualTo("line 12: bad element\nline 40: bad attribute");
        assertThat(SafeText.name(null)).isNull();
        assertThat(SafeText.error(null)).isNull();
        assertThat(SafeText.id(null)).isNull();
    }

    @Test
    void eachKindOfValueIsCutToItsDocumentedLengthWithAMark() {
        String huge = "x".repeat(100_000);

        assertThat(SafeText.name(huge)).hasSize(SafeText.NAME).isEqualTo("x".repeat(199) + "…");
        assertThat(SafeText.code(huge)).hasSize(SafeText.CODE).endsWith("x…");
        assertThat(SafeText.error(huge)).hasSize(SafeText.ERROR_TEXT).endsWith("x…");
        assertThat(SafeText.errorDetail(huge)).hasSize(SafeText.ERROR_DETAIL).endsWith("x…");
        assertThat(SafeText.line(huge, SafeText.LINE)).hasSize(SafeText.LINE);
        assertThat(SafeText.name("x".repeat(SafeText.NAME))).as("exactly the limit is not cut")
                .isEqualTo("x".repeat(SafeText.NAME));
        assertThat(SafeText.NAME).isEqualTo(200);
        assertThat(SafeText.ID).isEqualTo(100);
        assertThat(SafeText.CODE).isEqualTo(100);
        assertThat(SafeText.ERROR_TEXT).isEqualTo(1000);
        assertThat(SafeText.ERROR_DETAIL).isEqualTo(300);
        assertThat(SafeText.LINE).isEqualTo(500);
    }

    @Test
    void aCutNeverSplitsASurrogatePairAndCountsCharactersNotChars() {
        String emoji = GRINNING.repeat(300);

        String name = SafeText.name(emoji);

        assertThat(characters(name)).isEqualTo(SafeText.NAME);
        assertThat(name).isEqualTo(GRINNING.repeat(199) + "…");
        assertThat(SafeText.name(GRINNING.repeat(SafeText.NAME))).as("200 emoji are 200 characters")
                .isEqualTo(GRINNING.repeat(SafeText.NAME));
        for (int limit = 1; limit < 12; limit++) {
            String cut = SafeText.line("a" + GRINNING.repeat(20), limit);
            assertThat(characters(cut)).isEqualTo(limit);
            assertThat(hasLoneSurrogate(cut)).as("cut at " + limit).isFalse();
        }
    }

    @Test
    void aLoneSurrogateBecomesTheReplacementCharacter() {
        assertThat(SafeText.name("a\uD83Db")).isEqualTo("a\uFFFDb");
        assertThat(SafeText.name("a\uDE00b")).isEqualTo("a\uFFFDb");
        assertThat(SafeText.error("end\uD83D")).isEqualTo("end\uFFFD");
        assertThat(SafeText.name("\uFFFD stays")).isEqualTo("\uFFFD stays");
    }

    /** Every control character, C0 and C1, and the Unicode line and paragraph separators. */
    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x01, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9B,
            0x9F, 0x2028, 0x2029})
    void aControlCharacterOrLineBreakInALineBecomesOneSpace(int control) {
        String c = Character.toString(control);

        assertThat(SafeText.name("A" + c + "B")).isEqualTo("A B");
        assertThat(SafeText.code("A " + c + c + " B")).isEqualTo("A B");
        assertThat(SafeText.id("task" + c + "1")).doesNotContain(c).startsWith("task 1#");
        assertThat(SafeText.line(c + "A" + c, 10)).isEqualTo("A");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F,
            0x061C})
    void aBidiControlIsRemovedFromLinesAndTexts(int bidi) {
        String c = Character.toString(bidi);

        assertThat(SafeText.name("Legal" + c + "txt.exe")).isEqualTo("Legaltxt.exe");
        assertThat(SafeText.error("Broken" + c + "\nline 2" + c)).isEqualTo("Broken\nline 2");
        assertThat(SafeText.clean("<p>" + c + "</p>")).isEqualTo("<p></p>");
        assertThat(SafeText.id("id" + c)).doesNotContain(c).startsWith("id#");
    }

    @Test
    void anErrorTextKeepsItsLineBreaksAsLineFeedsAndNothingElse() {
        String error = "Broken\u0000TMX\r\nline 12:\tbad\rline 14\u2028line 15\n\n\n\n\nend\u202E";

        assertThat(SafeText.error(error)).isEqualTo("Broken TMX\nline 12: bad\nline 14\nline 15\n\nend");
    }

    @Test
    void foldAndCleanDoNotCutButStillClean() {
        String long1 = "y".repeat(5_000);

        assertThat(SafeText.fold(long1 + "\r\n" + long1)).hasSize(10_001).doesNotContain("\n");
        assertThat(SafeText.clean(long1 + "\r\n\u202E" + long1)).isEqualTo(long1 + "\n" + long1);
    }

    @Test
    void aLongOrChangedIdKeepsItsIdentity() {
        String longA = "t".repeat(150) + "A";
        String longB = "t".repeat(150) + "B";

        String a = SafeText.id(longA);

        assertThat(a).hasSize(SafeText.ID).startsWith("t".repeat(82) + "…#").matches(".*#[0-9a-f]{16}");
        assertThat(SafeText.id(longB)).as("two ids that differ past the cut stay two").hasSize(SafeText.ID)
                .isNotEqualTo(a);
        assertThat(SafeText.id(longA)).as("the same id gives the same result").isEqualTo(a);
        assertThat(SafeText.id("task-1\u0000")).isNotEqualTo(SafeText.id("task-1")).startsWith("task-1#");
        assertThat(SafeText.id("x".repeat(SafeText.ID))).isEqualTo("x".repeat(SafeText.ID));
    }

    /** Bounded once, a value is never changed again: a record rebuilt or read back from the journal stays equal. */
    @Test
    void everyFunctionIsIdempotentOnHostileText() {
        Random random = new Random(14);
        int[] alphabet = {'a', 'b', ' ', ' ', '\t', '\r', '\n', 0, 0x7F, 0x85, 0x2028, 0x202E, 0x2066, 0x200F, 0x061C,
                0xD83D, 0xDE00, 0x1F600, 0xFFFD, 0x00A0, 0x2003, '&', '<', '…'};
        List<String> samples = new ArrayList<>();
        IntStream.range(0, 2_000).forEach(i -> {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(i % 10 == 0 ? 1_500 : 40);
            for (int j = 0; j < length; j++) {
                text.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
            }
            samples.add(text.toString());
        });
        for (String sample : samples) {
            for (int limit : new int[] {1, 2, 7, 30, 200}) {
                String line = SafeText.line(sample, limit);
                assertThat(SafeText.line(line, limit)).isEqualTo(line);
                assertThat(characters(line)).isLessThanOrEqualTo(limit);
                assertThat(line).doesNotContainPattern("[\\p{Cc}\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069"
                        + "\\u200E\\u200F\\u061C]");
                assertThat(hasLoneSurrogate(line)).isFalse();
                String text = SafeText.text(sample, limit);
                assertThat(SafeText.text(text, limit)).isEqualTo(text);
                assertThat(characters(text)).isLessThanOrEqualTo(limit);
                assertThat(text).doesNotContainPattern("[\\x00-\\x09\\x0B-\\x1F\\x7F-\\x9F\\u2028\\u2029"
                        + "\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F\\u061C]");
                assertThat(hasLoneSurrogate(text)).isFalse();
            }
            String id = SafeText.id(sample);
            assertThat(SafeText.id(id)).isEqualTo(id);
            assertThat(characters(id)).isLessThanOrEqualTo(SafeText.ID);
        }
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1)))) {
                return true;
            }
            if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
                return true;
            }
        }
        return false;
    }
}
