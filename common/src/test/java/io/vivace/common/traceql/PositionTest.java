package io.vivace.common.traceql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Errors point at the offending token: 1-based line and column, columns in code points. */
class PositionTest {

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("{ .a < }", 1, 8),
                Arguments.of("{ .a = 1 &&\n  .b = }", 2, 8),
                Arguments.of("{ .a = 1 }\n| count(\n) > 1 &&", 3, 7),
                Arguments.of("{ .😝 = 1 && ) }", 1, 13),
                Arguments.of("{ .a = \"x\" +\t\"y\" }", 1, 12),
                Arguments.of("/* a\nb */ { . }", 2, 8),
                Arguments.of("{ span.\"unterminated }", 1, 8),
                Arguments.of("{ trace:nope = 1 }", 1, 3),
                Arguments.of("{ .a =~ \"(\" }", 1, 9),
                Arguments.of("{ status = ok } | by(1)", 1, 22),
                Arguments.of("{ .a } | min(\"x\") = 1", 1, 14),
                Arguments.of("", 1, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void reportsLineAndColumn(String query, int line, int column) {
        TraceQLParseException e = Queries.parseError(query);
        assertEquals(new Position(line, column), e.position(), e.getMessage());
    }

    @Test
    void messageNamesKindPositionAndProblem() {
        TraceQLParseException e = Queries.parseError("{ .a = 1 &&\n  .b = }");
        assertEquals("parse error at line 2, col 8: unexpected '}', expected a value, attribute or '('", e.getMessage());
        TraceQLParseException v = Queries.parseError("{ status > ok }");
        assertEquals("invalid query at line 1, col 10: '>' is not defined for status values in status > ok",
                v.getMessage());
    }
}
