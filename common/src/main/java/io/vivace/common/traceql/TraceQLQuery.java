package io.vivace.common.traceql;

/**
 * A parsed and validated query, with constants folded. Obtain one with {@link TraceQL#parse(String)}.
 *
 * @param text the query as written
 * @param root what the query asks for
 * @param hints its {@code with(...)} hints
 */
public record TraceQLQuery(String text, RootExpr root, Hints hints) {

    public boolean isMetrics() {
        return root instanceof RootExpr.Metrics;
    }

    /** The conditions a storage layer can test column by column to skip spans (§4.1). */
    public FetchConditions fetchConditions() {
        return ConditionExtractor.extract(this);
    }

    @Override
    public String toString() {
        return QueryPrinter.query(this);
    }
}
