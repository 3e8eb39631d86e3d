package io.vivace.common.traceql;

/**
 * Replaces every sub-expression that reads nothing from the span by its value ({@code { 1 + 1 > 1 }} becomes
 * {@code { true }}), and writes {@code trace:id} literals without leading zeros. Runs after validation. A constant
 * whose evaluation fails (integer division by zero) is left as is, so the query fails when it runs, as in Tempo.
 */
final class ConstantFolder {

    private final FieldEvaluator evaluator = new FieldEvaluator();

    static TraceQLQuery fold(TraceQLQuery query) {
        return new TraceQLQuery(query.text(), new ConstantFolder().root(query.root()), query.hints());
    }

    private RootExpr root(RootExpr root) {
        return switch (root) {
            case RootExpr.Search s -> new RootExpr.Search(spanset(s.expr()));
            case RootExpr.Metrics m -> new RootExpr.Metrics((Pipeline) spanset(m.pipeline()), metrics(m.function()),
                    m.secondStage());
            case RootExpr.ScalarPipeline p -> p;
        };
    }

    private MetricsFunction metrics(MetricsFunction f) {
        return f instanceof MetricsFunction.Compare c
                ? new MetricsFunction.Compare((SpansetFilter) spanset(c.filter()), c.topN(), c.startNanos(), c.endNanos())
                : f;
    }

    private SpansetExpr spanset(SpansetExpr e) {
        return switch (e) {
            case SpansetFilter f -> new SpansetFilter(field(f.expr()));
            case SpansetOperation o -> new SpansetOperation(o.op(), spanset(o.lhs()), spanset(o.rhs()));
            case Pipeline p -> new Pipeline(p.elements().stream().map(this::element).toList());
        };
    }

    private PipelineElement element(PipelineElement e) {
        return switch (e) {
            case SpansetExpr s -> spanset(s);
            case ScalarFilter f -> new ScalarFilter(f.op(), scalar(f.lhs()), scalar(f.rhs()));
            case GroupBy g -> new GroupBy(field(g.expr()));
            case Coalesce c -> c;
            case Select s -> s;
        };
    }

    private ScalarExpr scalar(ScalarExpr e) {
        return switch (e) {
            case ScalarExpr.Aggregate a -> a.argument() == null ? a : new ScalarExpr.Aggregate(a.function(), field(a.argument()));
            case ScalarExpr.Literal l -> l;
            case ScalarExpr.Arithmetic a -> new ScalarExpr.Arithmetic(a.op(), scalar(a.lhs()), scalar(a.rhs()));
            case ScalarExpr.PipelineAggregate p -> p;
        };
    }

    FieldExpr field(FieldExpr e) {
        FieldExpr rebuilt = switch (e) {
            case FieldExpr.Literal l -> l;
            case Attribute a -> a;
            case FieldExpr.Unary u -> new FieldExpr.Unary(u.op(), field(u.operand()));
            case FieldExpr.Binary b -> traceIdLiteral(new FieldExpr.Binary(b.op(), field(b.lhs()), field(b.rhs())));
        };
        if (rebuilt instanceof FieldExpr.Literal || FieldExpr.referencesSpan(rebuilt)) {
            return rebuilt;
        }
        try {
            Value value = evaluator.evaluate(rebuilt, null);
            // A nil literal means "= nil" existence tests; never create one from something else.
            return value.isNil() ? rebuilt : new FieldExpr.Literal(value);
        } catch (TraceQLRuntimeException keepForRunTime) {
            return rebuilt;
        }
    }

    private static FieldExpr.Binary traceIdLiteral(FieldExpr.Binary b) {
        if (b.op() != Operator.EQ && b.op() != Operator.NEQ) {
            return b;
        }
        if (isTraceId(b.lhs()) && b.rhs() instanceof FieldExpr.Literal(Value.StringValue s)) {
            return new FieldExpr.Binary(b.op(), b.lhs(), new FieldExpr.Literal(Value.of(TraceIds.stripLeadingZeros(s.value()))));
        }
        if (isTraceId(b.rhs()) && b.lhs() instanceof FieldExpr.Literal(Value.StringValue s)) {
            return new FieldExpr.Binary(b.op(), new FieldExpr.Literal(Value.of(TraceIds.stripLeadingZeros(s.value()))), b.rhs());
        }
        return b;
    }

    private static boolean isTraceId(FieldExpr e) {
        return e instanceof Attribute a && a.intrinsic() == Intrinsic.TRACE_ID;
    }
}
