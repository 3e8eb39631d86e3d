package io.vivace.common.traceql;

/**
 * Entry point of the TraceQL front end: parse, validate and fold a query.
 *
 * <pre>{@code
 * TraceQLQuery q = TraceQL.parse("{ span.http.status_code >= 500 } | count() > 2");
 * Optional<TraceMatch> m = new SearchEngine(q).evaluate(trace);          // search
 * FetchConditions pushdown = q.fetchConditions();                       // storage pre-filter
 * }</pre>
 */
public final class TraceQL {

    private TraceQL() {
    }

    /**
     * Parses and validates {@code text}.
     *
     * @throws TraceQLParseException with {@link TraceQLParseException.Kind#SYNTAX} when it does not parse,
     *     {@code INVALID} when it fails validation, {@code UNSUPPORTED} for constructs Tempo also refuses
     */
    public static TraceQLQuery parse(String text) throws TraceQLParseException {
        try {
            Parser.Parsed parsed = Parser.parse(text);
            new Validator(parsed.positions()).validate(parsed.query());
            return ConstantFolder.fold(parsed.query());
        } catch (StackOverflowError e) {
            // Thousands of nested parentheses or right-associative operators: refuse rather than fail the caller.
            throw TraceQLParseException.syntax(Position.START, "query is nested too deeply");
        }
    }
}
