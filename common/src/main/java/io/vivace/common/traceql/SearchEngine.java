package io.vivace.common.traceql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a search query on traces, one at a time and independently (reference §2.2): the pipeline starts from one
 * spanset holding every span of the trace, and the trace matches when the pipeline's output is not empty. Result
 * spans carry the attributes the query references or selects (§2.10). Build one per query; it is safe to call
 * {@link #evaluate} from several threads.
 */
public final class SearchEngine {

    /** Intrinsics the search response already shows in dedicated fields, so not repeated in span attributes. */
    private static final Set<Intrinsic> NOT_RETURNED = Set.of(Intrinsic.NAME, Intrinsic.DURATION,
            Intrinsic.TRACE_DURATION, Intrinsic.ROOT_NAME, Intrinsic.ROOT_SERVICE_NAME, Intrinsic.TRACE_ID,
            Intrinsic.SPAN_ID, Intrinsic.PARENT_ID);

    private final SpansetExpr root;
    private final SpansetEvaluator evaluator;
    private final List<Attribute> returned;

    public SearchEngine(TraceQLQuery query) {
        if (!(query.root() instanceof RootExpr.Search search)) {
            throw new IllegalArgumentException("not a search query: " + query.text());
        }
        this.root = search.expr();
        this.evaluator = new SpansetEvaluator(root);
        Set<Attribute> attributes = new LinkedHashSet<>();
        AttributeCollector.collect(root, attributes);
        this.returned = attributes.stream().filter(a -> !NOT_RETURNED.contains(a.intrinsic())).toList();
    }

    /**
     * The spansets the query produces for this trace, or empty when it does not match.
     *
     * @throws TraceQLRuntimeException when the query fails on this data (e.g. integer division by zero)
     */
    public Optional<TraceMatch> evaluate(TraceData trace) {
        TraceContext context = new TraceContext(trace);
        List<Spanset> spansets = evaluator.evaluate(root, context);
        if (spansets.isEmpty()) {
            return Optional.empty();
        }
        List<MatchedSpanset> out = new ArrayList<>(spansets.size());
        for (Spanset s : spansets) {
            List<MatchedSpan> spans = new ArrayList<>(s.spans().size());
            for (SpanData span : s.spans()) {
                spans.add(new MatchedSpan(span, loaded(context, span)));
            }
            out.add(new MatchedSpanset(spans, s.attributes()));
        }
        return Optional.of(new TraceMatch(trace, out));
    }

    private List<LoadedAttribute> loaded(TraceContext trace, SpanData span) {
        if (returned.isEmpty()) {
            return List.of();
        }
        SpanContext ctx = SpanContext.of(trace, span);
        List<LoadedAttribute> out = new ArrayList<>();
        for (Attribute a : returned) {
            Value v = ctx.read(a);
            if (!v.isNil()) {
                out.add(new LoadedAttribute(a, v));
            }
        }
        return out;
    }
}
