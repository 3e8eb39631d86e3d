package io.vivace.common.traceql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Derives {@link FetchConditions} from a query. Only {@code attribute op literal} and {@code attribute =/!= nil}
 * found in the {@code &&}/{@code ||} skeleton of a filter become filtering conditions; everything else an
 * expression reads (attribute-to-attribute comparisons, arithmetic, bare attributes, anything under {@code !},
 * aggregate and {@code by()} arguments, nested-set numbers for structural operators) becomes
 * {@link ConditionOp#NONE}.
 *
 * <p>{@code allConditions} stays true only for a pipeline of filters that are pure conjunctions. Otherwise the
 * "some condition holds" promise needs every filter to be <em>covered</em>: whenever the filter is true, one of its
 * filtering conditions is true ({@code a && b} is covered if either side is, {@code a || b} if both are, a
 * pushed comparison is, {@code true} or {@code !x} is not). If some filter is not covered, or the pipeline starts
 * with an aggregate or {@code by()} over all spans, no filtering condition is returned.
 */
final class ConditionExtractor {

    private final Set<Condition> conditions = new LinkedHashSet<>();
    private final Set<Attribute> resultAttributes = new LinkedHashSet<>();
    private boolean allConditions = true;
    private boolean needsEverySpan;
    private final List<FetchConditions.SpanRequirement> requirements = new ArrayList<>();

    private ConditionExtractor() {
    }

    static FetchConditions extract(TraceQLQuery query) {
        ConditionExtractor x = new ConditionExtractor();
        boolean canMatch = switch (query.root()) {
            case RootExpr.Search s -> {
                x.spanset(s.expr());
                x.requirements.addAll(requirements(s.expr()));
                yield canMatch(s.expr());
            }
            case RootExpr.Metrics m -> {
                x.spanset(m.pipeline());
                x.metrics(m.function());
                yield canMatch(m.pipeline());
            }
            case RootExpr.ScalarPipeline p -> {
                x.needsEverySpan = true;
                x.allConditions = false;
                yield true;
            }
        };
        return x.result(!canMatch);
    }

    private FetchConditions result(boolean matchesNothing) {
        List<Condition> out = new ArrayList<>(conditions);
        boolean childCount = out.stream().anyMatch(c -> c.attribute().intrinsic() == Intrinsic.CHILD_COUNT);
        if (childCount || (needsEverySpan && !allConditions)) {
            // Every span is needed: keep the columns, drop the filtering.
            out = out.stream().map(c -> Condition.none(c.attribute())).distinct().toList();
            return new FetchConditions(out, allConditions, resultAttributes, matchesNothing);
        }
        return new FetchConditions(out, allConditions, resultAttributes, matchesNothing, requirements);
    }

    private void metrics(MetricsFunction f) {
        resultAttributes.addAll(f.by());
        switch (f) {
            case MetricsFunction.OverTime o -> resultAttributes.add(o.attribute());
            case MetricsFunction.QuantileOverTime q -> resultAttributes.add(q.attribute());
            case MetricsFunction.HistogramOverTime h -> resultAttributes.add(h.attribute());
            case MetricsFunction.Compare c -> readOnly(c.filter().expr());
            case MetricsFunction.Rate r -> {
            }
            case MetricsFunction.CountOverTime c -> {
            }
        }
    }

    private void spanset(SpansetExpr e) {
        switch (e) {
            case SpansetFilter f -> {
                if (!filter(f.expr())) {
                    needsEverySpan = true;
                }
            }
            case SpansetOperation o -> {
                allConditions = false;
                if (o.op().isStructural()) {
                    conditions.add(Condition.none(Attribute.of(Intrinsic.NESTED_SET_LEFT)));
                    conditions.add(Condition.none(Attribute.of(Intrinsic.NESTED_SET_RIGHT)));
                    conditions.add(Condition.none(Attribute.of(Intrinsic.NESTED_SET_PARENT)));
                }
                spanset(o.lhs());
                spanset(o.rhs());
            }
            case Pipeline p -> {
                if (!(p.elements().getFirst() instanceof SpansetExpr)) {
                    needsEverySpan = true;
                }
                for (PipelineElement element : p.elements()) {
                    element(element);
                }
            }
        }
    }

    private void element(PipelineElement e) {
        switch (e) {
            case SpansetExpr s -> spanset(s);
            case ScalarFilter f -> {
                allConditions = false;
                List<Attribute> read = new ArrayList<>();
                AttributeCollector.collect(f, read);
                read.forEach(a -> conditions.add(Condition.none(a)));
            }
            case GroupBy g -> {
                allConditions = false;
                readOnly(g.expr());
            }
            case Select s -> resultAttributes.addAll(s.attributes());
            case Coalesce c -> {
            }
        }
    }

    /** Adds the conditions of a filter expression; returns whether the filter is covered by them. */
    private boolean filter(FieldExpr e) {
        switch (e) {
            case FieldExpr.Literal l -> {
                return l.value().equals(Value.FALSE);
            }
            case FieldExpr.Binary b when b.op() == Operator.AND -> {
                boolean l = filter(b.lhs());
                boolean r = filter(b.rhs());
                return l || r;
            }
            case FieldExpr.Binary b when b.op() == Operator.OR -> {
                allConditions = false;
                boolean l = filter(b.lhs());
                boolean r = filter(b.rhs());
                return l && r;
            }
            case FieldExpr.Binary b -> {
                Condition c = pushable(b);
                if (c != null) {
                    conditions.add(c);
                    return true;
                }
                readOnly(b);
                return false;
            }
            default -> {
                readOnly(e);
                return false;
            }
        }
    }

    /** {@code attr op literal}, {@code literal op attr}, {@code attr =/!= nil} as a condition; otherwise null. */
    private static Condition pushable(FieldExpr.Binary b) {
        Operator op = b.op();
        if (!op.isComparison() && !op.isRegex()) {
            return null;
        }
        boolean lhsNil = FieldExpr.isNilLiteral(b.lhs());
        boolean rhsNil = FieldExpr.isNilLiteral(b.rhs());
        if (lhsNil || rhsNil) {
            FieldExpr other = lhsNil ? b.rhs() : b.lhs();
            if (other instanceof Attribute a) {
                return new Condition(a, op == Operator.EQ ? ConditionOp.ABSENT : ConditionOp.EXISTS, List.of());
            }
            return null;
        }
        if (b.lhs() instanceof Attribute a && b.rhs() instanceof FieldExpr.Literal l) {
            return new Condition(a, ConditionOp.of(op), List.of(l.value()));
        }
        if (!op.isRegex() && b.rhs() instanceof Attribute a && b.lhs() instanceof FieldExpr.Literal l) {
            return new Condition(a, ConditionOp.of(op.mirrored()), List.of(l.value()));
        }
        return null;
    }

    /**
     * What a trace must hold for {@code e} to produce a spanset from it: both sides of {@code &&} and of a structural
     * operator (not of a negated one, whose left side may be empty), the first stage of a pipeline (a pipeline stops
     * at an empty stage), and {@code n} spans for {@code { f } | count() > n-1}. Structural operators fail on several
     * spansets per side; their sides are only used when they cannot yield several (no pipeline), so skipping a trace
     * never hides that error.
     */
    static List<FetchConditions.SpanRequirement> requirements(SpansetExpr e) {
        return switch (e) {
            case SpansetFilter f -> {
                List<Condition> implied = implied(f.expr());
                yield implied.isEmpty() ? List.of() : List.of(new FetchConditions.SpanRequirement(implied, 1));
            }
            case SpansetOperation o -> switch (o.op().mode()) {
                case LOGICAL -> o.op() == SpansetOp.AND ? both(o) : List.of();
                case PLAIN, UNION -> singleSpanset(o.lhs()) && singleSpanset(o.rhs()) ? both(o) : List.of();
                case NEGATED -> singleSpanset(o.lhs()) && singleSpanset(o.rhs()) ? requirements(o.rhs()) : List.of();
            };
            case Pipeline p -> {
                if (!(p.elements().getFirst() instanceof SpansetExpr first)) {
                    yield List.of();
                }
                List<FetchConditions.SpanRequirement> out = requirements(first);
                int count = p.elements().size() > 1 && first instanceof SpansetFilter
                        ? minimumCount(p.elements().get(1)) : 1;
                if (count > 1 && out.size() == 1) {
                    out = List.of(new FetchConditions.SpanRequirement(out.getFirst().conditions(), count));
                }
                yield out;
            }
        };
    }

    private static List<FetchConditions.SpanRequirement> both(SpansetOperation o) {
        List<FetchConditions.SpanRequirement> out = new ArrayList<>(requirements(o.lhs()));
        out.addAll(requirements(o.rhs()));
        return out;
    }

    /** Whether {@code e} yields at most one spanset from one input spanset (no pipeline: no by()). */
    private static boolean singleSpanset(SpansetExpr e) {
        return switch (e) {
            case SpansetFilter f -> true;
            case SpansetOperation o -> singleSpanset(o.lhs()) && singleSpanset(o.rhs());
            case Pipeline p -> false;
        };
    }

    /** The spans a spanset needs to pass {@code count() > n} ({@code n + 1}), {@code >= n} or {@code = n}; else 1. */
    private static int minimumCount(PipelineElement e) {
        if (e instanceof ScalarFilter(Operator op, ScalarExpr.Aggregate(AggregateFunction f, FieldExpr arg),
                ScalarExpr.Literal(Value.IntValue(long n))) && f == AggregateFunction.COUNT && n < Integer.MAX_VALUE) {
            long min = switch (op) {
                case GT -> n + 1;
                case GTE, EQ -> n;
                default -> 1;
            };
            return (int) Math.max(1, min);
        }
        return 1;
    }

    /** The pushable conditions every span passing {@code e} passes: those of its {@code &&} skeleton. */
    private static List<Condition> implied(FieldExpr e) {
        if (e instanceof FieldExpr.Binary b && b.op() == Operator.AND) {
            List<Condition> out = new ArrayList<>(implied(b.lhs()));
            implied(b.rhs()).stream().filter(c -> !out.contains(c)).forEach(out::add);
            return out;
        }
        if (e instanceof FieldExpr.Binary b) {
            Condition c = pushable(b);
            if (c != null) {
                return List.of(c);
            }
        }
        return List.of();
    }

    private void readOnly(FieldExpr e) {
        List<Attribute> read = new ArrayList<>();
        AttributeCollector.collect(e, read);
        read.forEach(a -> conditions.add(Condition.none(a)));
    }

    /** False when the expression can never produce a span (a {@code { false }} on a path every match takes). */
    static boolean canMatch(SpansetExpr e) {
        return switch (e) {
            case SpansetFilter f -> !f.expr().equals(new FieldExpr.Literal(Value.FALSE));
            case SpansetOperation o -> switch (o.op().mode()) {
                case LOGICAL -> o.op() == SpansetOp.AND ? canMatch(o.lhs()) && canMatch(o.rhs())
                        : canMatch(o.lhs()) || canMatch(o.rhs());
                case PLAIN, UNION -> canMatch(o.lhs()) && canMatch(o.rhs());
                case NEGATED -> canMatch(o.rhs());
            };
            case Pipeline p -> p.elements().stream().allMatch(el -> !(el instanceof SpansetExpr s) || canMatch(s));
        };
    }
}
