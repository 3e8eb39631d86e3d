package io.vivace.common.traceql;

import java.util.Collection;

/** Collects the attributes and intrinsics an AST reads, in query order. */
final class AttributeCollector {

    private AttributeCollector() {
    }

    static void collect(SpansetExpr e, Collection<Attribute> out) {
        switch (e) {
            case SpansetFilter f -> collect(f.expr(), out);
            case SpansetOperation o -> {
                collect(o.lhs(), out);
                collect(o.rhs(), out);
            }
            case Pipeline p -> p.elements().forEach(el -> collect(el, out));
        }
    }

    static void collect(PipelineElement e, Collection<Attribute> out) {
        switch (e) {
            case SpansetExpr s -> collect(s, out);
            case ScalarFilter f -> {
                collect(f.lhs(), out);
                collect(f.rhs(), out);
            }
            case GroupBy g -> collect(g.expr(), out);
            case Coalesce c -> {
            }
            case Select s -> out.addAll(s.attributes());
        }
    }

    static void collect(ScalarExpr e, Collection<Attribute> out) {
        switch (e) {
            case ScalarExpr.Aggregate a -> {
                if (a.argument() != null) {
                    collect(a.argument(), out);
                }
            }
            case ScalarExpr.Literal l -> {
            }
            case ScalarExpr.Arithmetic a -> {
                collect(a.lhs(), out);
                collect(a.rhs(), out);
            }
            case ScalarExpr.PipelineAggregate p -> {
                collect(p.pipeline(), out);
                collect(p.aggregate(), out);
            }
        }
    }

    static void collect(FieldExpr e, Collection<Attribute> out) {
        switch (e) {
            case Attribute a -> out.add(a);
            case FieldExpr.Literal l -> {
            }
            case FieldExpr.Unary u -> collect(u.operand(), out);
            case FieldExpr.Binary b -> {
                collect(b.lhs(), out);
                collect(b.rhs(), out);
            }
        }
    }
}
