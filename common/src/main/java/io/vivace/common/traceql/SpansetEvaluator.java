package io.vivace.common.traceql;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs spanset expressions and pipelines (reference §2.2–2.8): each stage maps a list of spansets to a list of
 * spansets, and a stage producing nothing ends the evaluation. Safe for concurrent use once built.
 */
final class SpansetEvaluator {

    private final FieldEvaluator fields = new FieldEvaluator();
    /** Per filter node (by identity): does it read events or links? Computed once, read concurrently. */
    private final Map<FieldExpr, FieldEvaluator.ScopeUse> scopeUse = new IdentityHashMap<>();

    SpansetEvaluator(SpansetExpr root) {
        index(root);
    }

    FieldEvaluator fields() {
        return fields;
    }

    private void index(SpansetExpr e) {
        switch (e) {
            case SpansetFilter f -> scopeUse.put(f.expr(), FieldEvaluator.ScopeUse.of(f.expr()));
            case SpansetOperation o -> {
                index(o.lhs());
                index(o.rhs());
            }
            case Pipeline p -> p.elements().forEach(el -> {
                if (el instanceof SpansetExpr s) {
                    index(s);
                }
            });
        }
    }

    /** Evaluates {@code root} on the whole trace (one input spanset holding every span). */
    List<Spanset> evaluate(SpansetExpr root, TraceContext trace) {
        if (trace.spans().isEmpty()) {
            return List.of();
        }
        return evaluate(root, List.of(new Spanset(trace.spans(), Map.of())), trace);
    }

    private List<Spanset> evaluate(SpansetExpr e, List<Spanset> input, TraceContext trace) {
        return switch (e) {
            case SpansetFilter f -> filter(f, input, trace);
            case SpansetOperation o -> operation(o, input, trace);
            case Pipeline p -> {
                List<Spanset> current = input;
                for (PipelineElement element : p.elements()) {
                    current = element(element, current, trace);
                    if (current.isEmpty()) {
                        break;
                    }
                }
                yield current;
            }
        };
    }

    private List<Spanset> element(PipelineElement e, List<Spanset> input, TraceContext trace) {
        return switch (e) {
            case SpansetExpr s -> evaluate(s, input, trace);
            case ScalarFilter f -> scalarFilter(f, input, trace);
            case GroupBy g -> groupBy(g, input, trace);
            case Coalesce c -> coalesce(input, trace);
            case Select s -> input;
        };
    }

    private List<Spanset> filter(SpansetFilter f, List<Spanset> input, TraceContext trace) {
        FieldExpr expr = f.expr();
        if (expr instanceof FieldExpr.Literal(Value.BoolValue b)) {
            return b.value() ? input : List.of();
        }
        FieldEvaluator.ScopeUse use = scopeUse.get(expr);
        if (use == null) {
            use = FieldEvaluator.ScopeUse.of(expr);
        }
        List<Spanset> out = new ArrayList<>();
        for (Spanset s : input) {
            List<SpanData> kept = new ArrayList<>();
            for (SpanData span : s.spans()) {
                if (fields.matches(expr, use, trace, span)) {
                    kept.add(span);
                }
            }
            if (!kept.isEmpty()) {
                out.add(s.withSpans(kept));
            }
        }
        return out;
    }

    private List<Spanset> operation(SpansetOperation o, List<Spanset> input, TraceContext trace) {
        List<Spanset> out = new ArrayList<>();
        for (Spanset s : input) {
            List<Spanset> lhs = evaluate(o.lhs(), List.of(s), trace);
            List<Spanset> rhs = evaluate(o.rhs(), List.of(s), trace);
            List<SpanData> matched = switch (o.op()) {
                case AND -> lhs.isEmpty() || rhs.isEmpty() ? List.of() : union(lhs, rhs, trace);
                case OR -> union(lhs, rhs, trace);
                default -> {
                    if (lhs.size() > 1 || rhs.size() > 1) {
                        throw new TraceQLRuntimeException("structural operator '" + o.op().symbol()
                                + "' needs one spanset on each side, got several; consider using coalesce()");
                    }
                    List<SpanData> l = lhs.isEmpty() ? List.of() : lhs.getFirst().spans();
                    List<SpanData> r = rhs.isEmpty() ? List.of() : rhs.getFirst().spans();
                    yield trace.unionInTraceOrder(List.of(StructuralMatcher.apply(o.op(), l, r)));
                }
            };
            if (!matched.isEmpty()) {
                out.add(s.withSpans(matched));
            }
        }
        return out;
    }

    private static List<SpanData> union(List<Spanset> a, List<Spanset> b, TraceContext trace) {
        List<List<SpanData>> lists = new ArrayList<>();
        a.forEach(s -> lists.add(s.spans()));
        b.forEach(s -> lists.add(s.spans()));
        return trace.unionInTraceOrder(lists);
    }

    private List<Spanset> scalarFilter(ScalarFilter f, List<Spanset> input, TraceContext trace) {
        if (!(f.lhs() instanceof ScalarExpr.Aggregate aggregate) || !(f.rhs() instanceof ScalarExpr.Literal literal)) {
            throw new TraceQLRuntimeException("unsupported scalar filter: " + f);
        }
        String name = QueryPrinter.scalar(aggregate);
        List<Spanset> out = new ArrayList<>();
        for (Spanset s : input) {
            Value value = aggregate(aggregate, s, trace);
            if (!value.isNil() && Operations.compareScalars(f.op(), value, literal.value())) {
                out.add(s.withAttribute(name, value));
            }
        }
        return out;
    }

    /**
     * {@code count()}, or {@code min/max/sum/avg} over the numeric values of the argument (nil and non-numeric
     * values skipped; nil when none is left). Min and max keep the winning value's type; sum and avg stay int /
     * duration when every value is, except that the average of ints is a float.
     */
    private Value aggregate(ScalarExpr.Aggregate a, Spanset s, TraceContext trace) {
        if (a.function() == AggregateFunction.COUNT) {
            return Value.of((long) s.spans().size());
        }
        List<Value> values = new ArrayList<>();
        for (SpanData span : s.spans()) {
            Value v = fields.evaluate(a.argument(), SpanContext.of(trace, span));
            if (v.isNumeric()) {
                values.add(v);
            }
        }
        if (values.isEmpty()) {
            return Value.NIL;
        }
        boolean allInt = values.stream().allMatch(v -> v instanceof Value.IntValue);
        boolean allDuration = values.stream().allMatch(v -> v instanceof Value.DurationValue);
        return switch (a.function()) {
            case MIN -> values.stream().reduce((x, y) -> Operations.compareScalars(Operator.LTE, x, y) ? x : y).get();
            case MAX -> values.stream().reduce((x, y) -> Operations.compareScalars(Operator.GTE, x, y) ? x : y).get();
            case SUM -> allInt ? Value.of(sumLongs(values)) : allDuration ? Value.ofDuration(sumLongs(values))
                    : Value.of(sumDoubles(values));
            case AVG -> allDuration ? Value.ofDuration(sumLongs(values) / values.size())
                    : Value.of(sumDoubles(values) / values.size());
            case COUNT -> throw new IllegalStateException();
        };
    }

    private static long sumLongs(List<Value> values) {
        long sum = 0;
        for (Value v : values) {
            sum += v instanceof Value.IntValue i ? i.value() : ((Value.DurationValue) v).nanos();
        }
        return sum;
    }

    private static double sumDoubles(List<Value> values) {
        double sum = 0;
        for (Value v : values) {
            sum += v.asDouble();
        }
        return sum;
    }

    private List<Spanset> groupBy(GroupBy g, List<Spanset> input, TraceContext trace) {
        String name = "by(" + QueryPrinter.field(g.expr()) + ")";
        List<Spanset> out = new ArrayList<>();
        for (Spanset s : input) {
            Map<Value, List<SpanData>> groups = new LinkedHashMap<>();
            for (SpanData span : s.spans()) {
                Value key = fields.evaluate(g.expr(), SpanContext.of(trace, span));
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(span);
            }
            groups.forEach((key, spans) -> out.add(s.withSpans(spans).withAttribute(name, key)));
        }
        return out;
    }

    private static List<Spanset> coalesce(List<Spanset> input, TraceContext trace) {
        if (input.isEmpty()) {
            return input;
        }
        return List.of(new Spanset(trace.unionInTraceOrder(input.stream().map(Spanset::spans).toList()), Map.of()));
    }
}
