package io.vivace.common.traceql;

import java.util.stream.Collectors;

/**
 * Writes AST nodes back as TraceQL in canonical form. Canonical text names things in results: spanset attributes
 * are called {@code count()}, {@code avg(duration)}, {@code by(span.foo)}, metrics labels {@code span.foo}.
 * Parentheses are added only where precedence needs them.
 */
final class QueryPrinter {

    private static final String NAME_SPECIALS = "{}()=~!<>&|^,\"\\";

    private QueryPrinter() {
    }

    static String query(TraceQLQuery q) {
        StringBuilder out = new StringBuilder(root(q.root()));
        if (!q.hints().values().isEmpty()) {
            out.append(" with(");
            out.append(q.hints().values().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
            out.append(')');
        }
        return out.toString();
    }

    static String root(RootExpr root) {
        return switch (root) {
            case RootExpr.Search s -> spanset(s.expr());
            case RootExpr.Metrics m -> {
                StringBuilder out = new StringBuilder(spanset(m.pipeline())).append(" | ").append(metrics(m.function()));
                for (MetricsSecondStage stage : m.secondStage()) {
                    out.append(switch (stage) {
                        case MetricsSecondStage.TopK t -> " | " + (t.bottom() ? "bottomk(" : "topk(") + t.k() + ")";
                        case MetricsSecondStage.Filter f -> " " + f.op().symbol() + " " + number(f.value());
                    });
                }
                yield out.toString();
            }
            case RootExpr.ScalarPipeline p -> p.filter().toString();
        };
    }

    static String metrics(MetricsFunction f) {
        String args = switch (f) {
            case MetricsFunction.Rate r -> "";
            case MetricsFunction.CountOverTime c -> "";
            case MetricsFunction.OverTime o -> attribute(o.attribute());
            case MetricsFunction.HistogramOverTime h -> attribute(h.attribute());
            case MetricsFunction.QuantileOverTime q -> attribute(q.attribute()) + ", "
                    + q.quantiles().stream().map(QueryPrinter::number).collect(Collectors.joining(", "));
            case MetricsFunction.Compare c -> spanset(c.filter()) + ", " + c.topN()
                    + (c.startNanos() != 0 || c.endNanos() != 0 ? ", " + c.startNanos() + ", " + c.endNanos() : "");
        };
        String by = f.by().isEmpty() ? ""
                : f.by().stream().map(QueryPrinter::attribute).collect(Collectors.joining(", ", " by(", ")"));
        return f.name() + "(" + args + ")" + by;
    }

    /** A double the way Go's %g would print small label values: {@code 0}, {@code 0.5}, {@code 1.28e-07}. */
    static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    static String spanset(SpansetExpr e) {
        return switch (e) {
            case SpansetFilter f -> f.expr() instanceof FieldExpr.Literal l && l.value().equals(Value.TRUE)
                    ? "{ }" : "{ " + field(f.expr()) + " }";
            case SpansetOperation o -> operand(o.lhs(), o.op(), false) + " " + o.op().symbol() + " "
                    + operand(o.rhs(), o.op(), true);
            case Pipeline p -> p.elements().stream().map(QueryPrinter::element).collect(Collectors.joining(" | "));
        };
    }

    private static String operand(SpansetExpr e, SpansetOp parent, boolean right) {
        boolean wrap = switch (e) {
            case Pipeline p -> true;
            case SpansetOperation o -> o.op().precedence() < parent.precedence()
                    || (right && o.op().precedence() == parent.precedence());
            case SpansetFilter f -> false;
        };
        return wrap ? "(" + spanset(e) + ")" : spanset(e);
    }

    static String element(PipelineElement e) {
        return switch (e) {
            case SpansetExpr s -> spanset(s);
            case ScalarFilter f -> scalar(f.lhs()) + " " + f.op().symbol() + " " + scalar(f.rhs());
            case GroupBy g -> "by(" + field(g.expr()) + ")";
            case Coalesce c -> "coalesce()";
            case Select s -> s.attributes().stream().map(QueryPrinter::attribute)
                    .collect(Collectors.joining(", ", "select(", ")"));
        };
    }

    static String scalar(ScalarExpr e) {
        return switch (e) {
            case ScalarExpr.Aggregate a -> a.function().keyword() + "(" + (a.argument() == null ? "" : field(a.argument())) + ")";
            case ScalarExpr.Literal l -> l.value().toString();
            case ScalarExpr.Arithmetic a -> scalarOperand(a.lhs(), a.op(), false) + " " + a.op().symbol() + " "
                    + scalarOperand(a.rhs(), a.op(), true);
            case ScalarExpr.PipelineAggregate p -> "(" + spanset(p.pipeline()) + " | " + scalar(p.aggregate()) + ")";
        };
    }

    private static String scalarOperand(ScalarExpr e, Operator parent, boolean right) {
        return e instanceof ScalarExpr.Arithmetic a && needsParens(a.op(), parent, right) ? "(" + scalar(e) + ")" : scalar(e);
    }

    static String field(FieldExpr e) {
        return switch (e) {
            case FieldExpr.Literal l -> l.value().toString();
            case Attribute a -> attribute(a);
            case FieldExpr.Unary u -> u.op().symbol()
                    + (u.operand() instanceof FieldExpr.Binary ? "(" + field(u.operand()) + ")" : field(u.operand()));
            case FieldExpr.Binary b -> fieldOperand(b.lhs(), b.op(), false) + " " + b.op().symbol() + " "
                    + fieldOperand(b.rhs(), b.op(), true);
        };
    }

    private static String fieldOperand(FieldExpr e, Operator parent, boolean right) {
        boolean wrap = switch (e) {
            case FieldExpr.Binary b -> needsParens(b.op(), parent, right);
            case FieldExpr.Unary u -> u.op().precedence() < parent.precedence();
            default -> false;
        };
        return wrap ? "(" + field(e) + ")" : field(e);
    }

    private static boolean needsParens(Operator child, Operator parent, boolean right) {
        if (child.precedence() != parent.precedence()) {
            return child.precedence() < parent.precedence();
        }
        return right != parent.isRightAssociative();
    }

    static String attribute(Attribute a) {
        if (a.isIntrinsic()) {
            return a.name();
        }
        String prefix = switch (a.scope()) {
            case NONE -> ".";
            case TRACE -> "trace.";
            default -> a.scope().keyword() + ".";
        };
        if (a.parent()) {
            prefix = a.scope() == AttributeScope.NONE ? "parent." : "parent." + prefix;
        }
        return prefix + attributeName(a.name());
    }

    private static String attributeName(String name) {
        boolean quote = name.isEmpty() || name.codePoints().anyMatch(c -> Character.isWhitespace(c)
                || NAME_SPECIALS.indexOf(c) >= 0);
        if (!quote) {
            return name;
        }
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
