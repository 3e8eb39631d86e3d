package io.vivace.common.traceql;

import java.util.regex.PatternSyntaxException;

/**
 * The checks Tempo runs after parsing (reference §2.5): static types of filter expressions, operators allowed per
 * type, regex literals, aggregate and {@code by()} arguments, metrics arguments, and the constructs that parse but
 * are unsupported ({@code parent}, scalar filters other than {@code aggregate op literal}, comparisons of
 * aggregated pipelines, too many metrics group-bys).
 */
final class Validator {

    private static final int MAX_GROUP_BYS = 5;
    private static final int MAX_GROUP_BYS_BUCKETED = 4;

    private final SourceMap positions;

    Validator(SourceMap positions) {
        this.positions = positions;
    }

    void validate(TraceQLQuery query) throws TraceQLParseException {
        switch (query.root()) {
            case RootExpr.Search s -> spansetExpr(s.expr());
            case RootExpr.Metrics m -> {
                spansetExpr(m.pipeline());
                metrics(m);
            }
            case RootExpr.ScalarPipeline p -> {
                scalarOperands(p.filter().lhs());
                scalarOperands(p.filter().rhs());
                throw TraceQLParseException.unsupported(positions.of(p.filter()),
                        "comparing aggregated pipelines such as ({ ... } | count()) is not supported");
            }
        }
    }

    private void spansetExpr(SpansetExpr e) throws TraceQLParseException {
        switch (e) {
            case SpansetFilter f -> {
                ValueType type = type(f.expr());
                if (type != ValueType.BOOL && type != ValueType.ATTRIBUTE) {
                    throw TraceQLParseException.invalid(positions.of(f.expr(), f),
                            "a spanset filter must be a boolean expression, not " + type);
                }
            }
            case SpansetOperation o -> {
                spansetExpr(o.lhs());
                spansetExpr(o.rhs());
            }
            case Pipeline p -> {
                for (PipelineElement element : p.elements()) {
                    element(element);
                }
            }
        }
    }

    private void element(PipelineElement e) throws TraceQLParseException {
        switch (e) {
            case SpansetExpr s -> spansetExpr(s);
            case ScalarFilter f -> {
                scalarOperands(f.lhs());
                scalarOperands(f.rhs());
                if (!(f.lhs() instanceof ScalarExpr.Aggregate) || !(f.rhs() instanceof ScalarExpr.Literal)) {
                    throw TraceQLParseException.unsupported(positions.of(f),
                            "only 'aggregate op number' scalar filters are supported, e.g. count() > 2, got " + f);
                }
            }
            case GroupBy g -> {
                type(g.expr());
                if (!FieldExpr.referencesSpan(g.expr())) {
                    throw TraceQLParseException.invalid(positions.of(g.expr(), g),
                            "by() needs an expression that reads the span, e.g. by(resource.service.name)");
                }
            }
            case Coalesce c -> {
            }
            case Select s -> {
                for (Attribute a : s.attributes()) {
                    type(a);
                }
            }
        }
    }

    /** Validates the aggregates and pipelines inside a scalar expression. */
    private void scalarOperands(ScalarExpr e) throws TraceQLParseException {
        switch (e) {
            case ScalarExpr.Aggregate a -> aggregate(a);
            case ScalarExpr.Literal l -> {
            }
            case ScalarExpr.Arithmetic a -> {
                scalarOperands(a.lhs());
                scalarOperands(a.rhs());
            }
            case ScalarExpr.PipelineAggregate p -> {
                spansetExpr(p.pipeline());
                aggregate(p.aggregate());
            }
        }
    }

    private void aggregate(ScalarExpr.Aggregate a) throws TraceQLParseException {
        if (a.argument() == null) {
            return;
        }
        ValueType type = type(a.argument());
        String name = a.function().keyword() + "()";
        if (!type.isNumeric() && type != ValueType.ATTRIBUTE) {
            throw TraceQLParseException.invalid(positions.of(a.argument(), a),
                    name + " needs a numeric argument, not " + type);
        }
        if (!FieldExpr.referencesSpan(a.argument())) {
            throw TraceQLParseException.invalid(positions.of(a.argument(), a),
                    name + " needs an argument that reads the span, e.g. " + a.function().keyword() + "(duration)");
        }
    }

    private void metrics(RootExpr.Metrics m) throws TraceQLParseException {
        MetricsFunction f = m.function();
        Position at = positions.of(f);
        for (Attribute a : f.by()) {
            type(a);
        }
        switch (f) {
            case MetricsFunction.OverTime o -> numericAttribute(f, o.attribute());
            case MetricsFunction.HistogramOverTime h -> numericAttribute(f, h.attribute());
            case MetricsFunction.QuantileOverTime q -> {
                numericAttribute(f, q.attribute());
                for (double quantile : q.quantiles()) {
                    if (!(quantile >= 0 && quantile <= 1)) {
                        throw TraceQLParseException.invalid(at,
                                "quantile must be between 0 and 1, got " + QueryPrinter.number(quantile));
                    }
                }
            }
            case MetricsFunction.Compare c -> {
                spansetExpr(c.filter());
                if (!m.secondStage().isEmpty()) {
                    throw TraceQLParseException.invalid(at, "compare() cannot be followed by topk, bottomk or filters");
                }
                if (c.topN() <= 0) {
                    throw TraceQLParseException.invalid(at, "compare() needs a positive number of top values");
                }
            }
            case MetricsFunction.Rate r -> {
            }
            case MetricsFunction.CountOverTime c -> {
            }
        }
        boolean bucketed = f instanceof MetricsFunction.QuantileOverTime || f instanceof MetricsFunction.HistogramOverTime;
        int max = bucketed ? MAX_GROUP_BYS_BUCKETED : MAX_GROUP_BYS;
        if (f.by().size() > max) {
            throw TraceQLParseException.unsupported(at,
                    f.name() + "() supports at most " + max + " by() attributes, got " + f.by().size());
        }
        for (MetricsSecondStage stage : m.secondStage()) {
            if (stage instanceof MetricsSecondStage.TopK t && t.k() <= 0) {
                throw TraceQLParseException.invalid(positions.of(stage),
                        (t.bottom() ? "bottomk" : "topk") + "() needs a positive number, got " + t.k());
            }
        }
    }

    private void numericAttribute(MetricsFunction f, Attribute a) throws TraceQLParseException {
        ValueType type = type(a);
        if (!type.isNumeric() && type != ValueType.ATTRIBUTE) {
            throw TraceQLParseException.invalid(positions.of(a, f),
                    f.name() + "() needs a numeric attribute, not " + type + " " + a);
        }
    }

    /** The static type of an expression, checking it on the way. */
    private ValueType type(FieldExpr e) throws TraceQLParseException {
        return switch (e) {
            case FieldExpr.Literal l -> l.value().type();
            case Attribute a -> {
                if (a.parent() || a.intrinsic() == Intrinsic.PARENT) {
                    throw TraceQLParseException.unsupported(positions.of(a), "the parent scope is not supported");
                }
                yield a.intrinsic().type();
            }
            case FieldExpr.Unary u -> unaryType(u);
            case FieldExpr.Binary b -> binaryType(b);
        };
    }

    private ValueType unaryType(FieldExpr.Unary u) throws TraceQLParseException {
        ValueType operand = type(u.operand());
        if (u.op() == Operator.NOT) {
            if (operand != ValueType.BOOL && operand != ValueType.ATTRIBUTE) {
                throw TraceQLParseException.invalid(positions.of(u), "'!' needs a boolean operand, not " + operand);
            }
            return ValueType.BOOL;
        }
        if (!operand.isNumeric() && operand != ValueType.ATTRIBUTE) {
            throw TraceQLParseException.invalid(positions.of(u), "unary '-' needs a numeric operand, not " + operand);
        }
        return operand;
    }

    private ValueType binaryType(FieldExpr.Binary b) throws TraceQLParseException {
        Position at = positions.of(b);
        boolean lhsNil = FieldExpr.isNilLiteral(b.lhs());
        boolean rhsNil = FieldExpr.isNilLiteral(b.rhs());
        if (lhsNil || rhsNil) {
            FieldExpr other = lhsNil ? b.rhs() : b.lhs();
            if (!(lhsNil && rhsNil)) {
                type(other);
                if (b.op() == Operator.EQ && other instanceof Attribute a && (a.isIntrinsic() || isServiceName(a))) {
                    throw TraceQLParseException.invalid(at,
                            "'= nil' is not supported for intrinsics and resource.service.name, got " + a);
                }
            }
            return ValueType.BOOL;
        }
        ValueType lhs = type(b.lhs());
        ValueType rhs = type(b.rhs());
        if (b.op().isRegex()) {
            if (!(b.rhs() instanceof FieldExpr.Literal(Value.StringValue pattern))) {
                throw TraceQLParseException.invalid(at,
                        "the right side of '" + b.op().symbol() + "' must be a string literal, not " + rhs);
            }
            try {
                GoRegex.compile(pattern.value());
            } catch (PatternSyntaxException ex) {
                throw TraceQLParseException.invalid(positions.of(b.rhs()),
                        "invalid regular expression " + pattern + ": " + ex.getDescription());
            }
            if (lhs != ValueType.STRING && lhs != ValueType.ATTRIBUTE) {
                throw TraceQLParseException.invalid(at, "'" + b.op().symbol() + "' needs a string, not " + lhs);
            }
            return ValueType.BOOL;
        }
        if (!compatible(lhs, rhs)) {
            throw TraceQLParseException.invalid(at, "type mismatch: cannot apply '" + b.op().symbol() + "' to "
                    + lhs + " and " + rhs + " in " + b);
        }
        ValueType known = lhs != ValueType.ATTRIBUTE ? lhs : rhs;
        if (known != ValueType.ATTRIBUTE && !allowed(b.op(), known)) {
            throw TraceQLParseException.invalid(at, "'" + b.op().symbol() + "' is not defined for " + known
                    + " values in " + b);
        }
        if (b.op().isLogical() || b.op().isComparison()) {
            return ValueType.BOOL;
        }
        return arithmeticType(lhs, rhs);
    }

    private static boolean isServiceName(Attribute a) {
        return a.scope() == AttributeScope.RESOURCE && a.name().equals("service.name");
    }

    private static boolean compatible(ValueType a, ValueType b) {
        return a == b || (a.isNumeric() && b.isNumeric()) || a == ValueType.ATTRIBUTE || b == ValueType.ATTRIBUTE;
    }

    private static boolean allowed(Operator op, ValueType type) {
        if (type.isNumeric()) {
            return op.isArithmetic() || op.isComparison();
        }
        return switch (type) {
            case BOOL -> op == Operator.AND || op == Operator.OR || op == Operator.EQ || op == Operator.NEQ;
            case STRING -> op.isComparison();
            default -> op == Operator.EQ || op == Operator.NEQ;
        };
    }

    private static ValueType arithmeticType(ValueType a, ValueType b) {
        if (a == ValueType.ATTRIBUTE || b == ValueType.ATTRIBUTE) {
            return ValueType.ATTRIBUTE;
        }
        if (a == ValueType.INT && b == ValueType.INT) {
            return ValueType.INT;
        }
        if (a == ValueType.FLOAT || b == ValueType.FLOAT) {
            return ValueType.FLOAT;
        }
        return ValueType.DURATION;
    }
}
