package io.vivace.common.traceql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoRegexTest {

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiterString = " ;; ", value = {
        "bar ;; bar ;; true",
        "bar ;; foobar ;; false",
        "bar ;; barbaz ;; false",
        "a.c ;; a\\nc ;; true",
        "[[:digit:]]+ ;; 123 ;; true",
        "[[:^digit:]]+ ;; abc ;; true",
        "[[:alpha:]] ;; : ;; false",
        "(?P<word>\\w+) ;; hello ;; true",
        "[a[] ;; [ ;; true",
        "[a&&b] ;; & ;; true",
        "[]a] ;; ] ;; true",
        "\\p{Greek}+ ;; αβγ ;; true",
        "\\pL+ ;; abc ;; true",
        "(?i)GET ;; get ;; true",
        "\\Qa.b\\E ;; a.b ;; true",
        "\\Qa.b\\E ;; axb ;; false",
    })
    void matchesWholeValue(String regex, String value, boolean matches) {
        assertEquals(matches, GoRegex.compile(regex.replace("\\n", "\n")).matcher(value.replace("\\n", "\n")).matches());
    }

    @Test
    void catastrophicBacktrackingFailsTheQueryInsteadOfHanging() {
        // About 10^9 character reads (seconds of CPU) in java.util.regex without the budget.
        String value = "a".repeat(30) + "!";
        assertThrows(TraceQLRuntimeException.class, () -> GoRegex.matches(GoRegex.compile("(.*a){12}"), value));
        assertEquals(false, GoRegex.matches(GoRegex.compile("(.*a){2}"), value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[", "(a", "a**", "(?=x)", "(?<!x)y", "(a)\\1", "a++", "[[:nope:]]", "\\"})
    void rejectsWhatRe2Rejects(String regex) {
        assertThrows(PatternSyntaxException.class, () -> GoRegex.compile(regex));
    }
}
