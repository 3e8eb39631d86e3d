package io.vivace.common.traceql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reference §1.3: each query parses to the same tree as its explicitly parenthesised form, and to a different tree
 * than the other grouping (when that one is valid at all).
 */
class PrecedenceTest {

    static Stream<Arguments> groupings() {
        return Stream.of(
                Arguments.of("{ .a || .b && .c }", "{ (.a || .b) && .c }", "{ .a || (.b && .c) }"),
                Arguments.of("{ .a && .b || .c }", "{ (.a && .b) || .c }", "{ .a && (.b || .c) }"),
                Arguments.of("{ .a = .b && .c }", "{ (.a = .b) && .c }", "{ .a = (.b && .c) }"),
                Arguments.of("{ !.a = .b }", "{ (!.a) = .b }", "{ !(.a = .b) }"),
                Arguments.of("{ -.a * .b = 1 }", "{ -(.a * .b) = 1 }", "{ (-.a) * .b = 1 }"),
                Arguments.of("{ -.a + .b = 1 }", "{ ((-.a) + .b) = 1 }", "{ -(.a + .b) = 1 }"),
                Arguments.of("{ .a + .b * .c ^ .d ^ .e = 1 }", "{ .a + (.b * (.c ^ (.d ^ .e))) = 1 }",
                        "{ .a + (.b * ((.c ^ .d) ^ .e)) = 1 }"),
                Arguments.of("{ .a - .b - .c = 1 }", "{ (.a - .b) - .c = 1 }", "{ .a - (.b - .c) = 1 }"),
                Arguments.of("{ .a / .b % .c = 1 }", "{ (.a / .b) % .c = 1 }", "{ .a / (.b % .c) = 1 }"),
                Arguments.of("{ .a + .b > .c * .d }", "{ (.a + .b) > (.c * .d) }", "{ .a + (.b > .c) * .d }"),
                Arguments.of("{ !.a * .b = 1 }", "{ !(.a * .b) = 1 }", "{ (!.a) * .b = 1 }"),
                Arguments.of("{ .a = nil || .b != nil }", "{ (.a = nil) || (.b != nil) }", "{ .a = nil }"),
                Arguments.of("{ .a } || { .b } && { .c }", "({ .a } || { .b }) && { .c }", "{ .a } || ({ .b } && { .c })"),
                Arguments.of("{ .a } && { .b } > { .c }", "{ .a } && ({ .b } > { .c })", "({ .a } && { .b }) > { .c }"),
                Arguments.of("{ .a } > { .b } > { .c }", "({ .a } > { .b }) > { .c }", "{ .a } > ({ .b } > { .c })"),
                Arguments.of("{ .a } ~ { .b } >> { .c }", "({ .a } ~ { .b }) >> { .c }", "{ .a } ~ ({ .b } >> { .c })"),
                Arguments.of("{ .a } !< { .b } &>> { .c }", "({ .a } !< { .b }) &>> { .c }",
                        "{ .a } !< ({ .b } &>> { .c })"),
                Arguments.of("{ .a } | { .b } && { .c }", "{ .a } | ({ .b } && { .c })", "({ .a } | { .b }) && { .c }"),
                Arguments.of("({ .a } | count() > 1) && ({ .b } | count() > 1) || ({ .c } | count() > 1)",
                        "(({ .a } | count() > 1) && ({ .b } | count() > 1)) || ({ .c } | count() > 1)",
                        "({ .a } | count() > 1) && (({ .b } | count() > 1) || ({ .c } | count() > 1))"),
                Arguments.of("count() + 1 * 2 > 3", "count() + (1 * 2) > 3", "(count() + 1) * 2 > 3"));
    }

    @ParameterizedTest(name = "{0}  ≡  {1}")
    @MethodSource("groupings")
    void groupsAsTheReferenceSays(String query, String same, String different) throws TraceQLParseException {
        RootExpr parsed = Parser.parse(query).query().root();
        assertEquals(Parser.parse(same).query().root(), parsed);
        try {
            assertNotEquals(Parser.parse(different).query().root(), parsed);
        } catch (TraceQLParseException invalidAlternative) {
            // fine: the other grouping is not even a query (e.g. a pipeline as an operand of '&&')
        }
    }

    static Stream<Arguments> constants() {
        return Stream.of(
                Arguments.of("{ 1 + 2 * 3 = 7 }", true),
                Arguments.of("{ (1 + 2) * 3 = 9 }", true),
                Arguments.of("{ 2 ^ 3 ^ 2 = 512 }", true),
                Arguments.of("{ 10 - 4 - 3 = 3 }", true),
                Arguments.of("{ -2 ^ 2 = -4 }", true),
                Arguments.of("{ 7 % 4 * 2 = 6 }", true),
                Arguments.of("{ true || false && false }", false),
                Arguments.of("{ 1 + 1 > 1 }", true),
                Arguments.of("{ \"foo\" = \"bar\" }", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("constants")
    void constantExpressionsFoldWithThatPrecedence(String query, boolean value) throws TraceQLParseException {
        RootExpr.Search root = (RootExpr.Search) TraceQL.parse(query).root();
        Pipeline p = (Pipeline) root.expr();
        assertEquals(new SpansetFilter(new FieldExpr.Literal(Value.of(value))), p.elements().getFirst());
    }
}
