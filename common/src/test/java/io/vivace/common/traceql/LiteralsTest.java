package io.vivace.common.traceql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Literals and attribute names as the lexer reads them (reference §1.1). */
class LiteralsTest {

    /** The right-hand literal of {@code { .x = <literal> }} (or the folded value for negative numbers). */
    private static Value literal(String text) throws TraceQLParseException {
        Pipeline p = (Pipeline) ((RootExpr.Search) Parser.parse("{ .x = " + text + " }").query().root()).expr();
        FieldExpr.Binary b = (FieldExpr.Binary) ((SpansetFilter) p.elements().getFirst()).expr();
        return ((FieldExpr.Literal) b.rhs()).value();
    }

    private static Attribute attribute(String text) throws TraceQLParseException {
        Pipeline p = (Pipeline) ((RootExpr.Search) Parser.parse("{ " + text + " = 1 }").query().root()).expr();
        FieldExpr.Binary b = (FieldExpr.Binary) ((SpansetFilter) p.elements().getFirst()).expr();
        return (Attribute) b.lhs();
    }

    static Stream<Arguments> literals() {
        return Stream.of(
                Arguments.of("\"plain\"", Value.of("plain")),
                Arguments.of("\"a\\\"b\\\\c\\n\\t\"", Value.of("a\"b\\c\n\t")),
                Arguments.of("\"\\x41\\101\\u00e9\\U0001F600\"", Value.of("AAé😀")),
                Arguments.of("`raw \\n \"x\"`", Value.of("raw \\n \"x\"")),
                Arguments.of("42", Value.of(42L)),
                Arguments.of("9223372036854775807", Value.of(Long.MAX_VALUE)),
                Arguments.of("maxInt", Value.of(Long.MAX_VALUE)),
                Arguments.of("minInt", Value.of(Long.MIN_VALUE)),
                Arguments.of("1.5", Value.of(1.5)),
                Arguments.of(".5", Value.of(0.5)),
                Arguments.of("1.", Value.of(1.0)),
                Arguments.of("1e3", Value.of(1000.0)),
                Arguments.of("2.5E-3", Value.of(0.0025)),
                Arguments.of("1ns", Value.ofDuration(1)),
                Arguments.of("300us", Value.ofDuration(300_000)),
                Arguments.of("3µs", Value.ofDuration(3_000)),
                Arguments.of("1.5ms", Value.ofDuration(1_500_000)),
                Arguments.of("10s", Value.ofDuration(10_000_000_000L)),
                Arguments.of("1h2m", Value.ofDuration(3_720_000_000_000L)),
                Arguments.of("1h15m30.5s", Value.ofDuration(4_530_500_000_000L)),
                Arguments.of("1d", Value.ofDuration(86_400_000_000_000L)),
                Arguments.of("1w", Value.ofDuration(7 * 86_400_000_000_000L)),
                Arguments.of("1y", Value.ofDuration(365 * 86_400_000_000_000L)),
                Arguments.of("1s500ms", Value.ofDuration(1_500_000_000L)),
                Arguments.of("true", Value.TRUE),
                Arguments.of("false", Value.FALSE),
                Arguments.of("ok", Value.of(StatusCode.OK)),
                Arguments.of("error", Value.of(StatusCode.ERROR)),
                Arguments.of("unset", Value.of(StatusCode.UNSET)),
                Arguments.of("unspecified", Value.of(SpanKind.UNSPECIFIED)),
                Arguments.of("internal", Value.of(SpanKind.INTERNAL)),
                Arguments.of("server", Value.of(SpanKind.SERVER)),
                Arguments.of("client", Value.of(SpanKind.CLIENT)),
                Arguments.of("producer", Value.of(SpanKind.PRODUCER)),
                Arguments.of("consumer", Value.of(SpanKind.CONSUMER)),
                Arguments.of("nil", Value.NIL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("literals")
    void readsLiteral(String text, Value expected) throws TraceQLParseException {
        assertEquals(expected, literal(text));
    }

    @Test
    void negativeNumbersAreFoldedUnaryMinus() throws TraceQLParseException {
        Pipeline p = (Pipeline) ((RootExpr.Search) TraceQL.parse("{ .x > -5s && .y = -1 }").root()).expr();
        FieldExpr.Binary and = (FieldExpr.Binary) ((SpansetFilter) p.elements().getFirst()).expr();
        assertEquals(new FieldExpr.Literal(Value.ofDuration(-5_000_000_000L)), ((FieldExpr.Binary) and.lhs()).rhs());
        assertEquals(new FieldExpr.Literal(Value.of(-1L)), ((FieldExpr.Binary) and.rhs()).rhs());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5d", "1t", "0x10", "9223372036854775808", "'x'", "\"unterminated", "\"bad \\q escape\"",
        "\"line\nbreak\"", "1h-", "&", "maybe"})
    void rejectsMalformedLiteral(String text) {
        assertEquals(TraceQLParseException.Kind.SYNTAX, Queries.parseError("{ .x = " + text + " }").kind());
    }

    static Stream<Arguments> attributes() {
        return Stream.of(
                Arguments.of(".foo", Attribute.unscoped("foo")),
                Arguments.of(".http.status_code", Attribute.unscoped("http.status_code")),
                Arguments.of(".foo-bar", Attribute.unscoped("foo-bar")),
                Arguments.of(".a+1", Attribute.unscoped("a+1")),
                Arguments.of(".😝", Attribute.unscoped("😝")),
                Arguments.of(".status", Attribute.unscoped("status")),
                Arguments.of("span.count", Attribute.span("count")),
                Arguments.of("span.\"foo bar\"", Attribute.span("foo bar")),
                Arguments.of(".foo.\"bar baz\".x", Attribute.unscoped("foo.bar baz.x")),
                Arguments.of("span.\"quote\\\"in\\\\name\"", Attribute.span("quote\"in\\name")),
                Arguments.of("resource.service.name", Attribute.resource("service.name")),
                Arguments.of("resource.span.foo", Attribute.resource("span.foo")),
                Arguments.of("event.exception.message", Attribute.of(AttributeScope.EVENT, "exception.message")),
                Arguments.of("link.relation", Attribute.of(AttributeScope.LINK, "relation")),
                Arguments.of("instrumentation.x", Attribute.of(AttributeScope.INSTRUMENTATION, "x")),
                Arguments.of("parent.span.x", new Attribute(AttributeScope.SPAN, "x", Intrinsic.NONE, true)),
                Arguments.of("parent.x", new Attribute(AttributeScope.NONE, "x", Intrinsic.NONE, true)),
                Arguments.of("duration", Attribute.of(Intrinsic.DURATION)),
                Arguments.of("span:duration", Attribute.of(Intrinsic.DURATION)),
                Arguments.of("trace:rootService", Attribute.of(Intrinsic.ROOT_SERVICE_NAME)),
                Arguments.of("span: name", Attribute.of(Intrinsic.NAME)),
                Arguments.of("event:timeSinceStart", Attribute.of(Intrinsic.EVENT_TIME_SINCE_START)),
                Arguments.of("instrumentation:version", Attribute.of(Intrinsic.INSTRUMENTATION_VERSION)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributes")
    void readsAttribute(String text, Attribute expected) throws TraceQLParseException {
        assertEquals(expected, attribute(text));
    }

    @Test
    void commentsAreSkipped() throws TraceQLParseException {
        assertEquals(TraceQL.parse("{ .a = 1 }").root(),
                TraceQL.parse("/* leading */ { .a = 1 // the filter\n }").root());
    }

    @Test
    void foldedInfinityPrintsAsAReparseableQuery() throws TraceQLParseException {
        TraceQLQuery q = TraceQL.parse("{ .a > 5.0 / 0.0 }");
        assertEquals("{ .a > (1.0 / 0.0) }", q.toString());
        assertEquals(q.root(), TraceQL.parse(q.toString()).root());
    }

    @Test
    void durationsPrintTheGoWay() {
        assertEquals("1h0m0s", Value.ofDuration(3_600_000_000_000L).toString());
        assertEquals("1.5s", Value.ofDuration(1_500_000_000L).toString());
        assertEquals("10ms", Value.ofDuration(10_000_000L).toString());
        assertEquals("1.5µs", Value.ofDuration(1_500L).toString());
        assertEquals("-2m30s", Value.ofDuration(-150_000_000_000L).toString());
    }
}
