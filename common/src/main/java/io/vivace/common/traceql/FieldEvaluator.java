package io.vivace.common.traceql;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Evaluates field expressions on a span. Safe for concurrent use: the only state is a cache of compiled regexes.
 *
 * <p>Boolean connectives are strict: a nil or non-boolean operand makes {@code &&} / {@code ||} false (reference
 * §2.5 rule 8, so {@code { .missing || true }} is false whichever side is missing). {@code x = nil} /
 * {@code x != nil} with a literal {@code nil} test absence / presence; a comparison with a missing attribute is
 * false.
 */
final class FieldEvaluator {

    private final Map<String, Pattern> regexes = new ConcurrentHashMap<>();

    Value evaluate(FieldExpr e, SpanContext ctx) {
        return switch (e) {
            case FieldExpr.Literal l -> l.value();
            case Attribute a -> ctx.read(a);
            case FieldExpr.Unary u -> u.op() == Operator.NOT
                    ? Operations.not(evaluate(u.operand(), ctx))
                    : Operations.negate(evaluate(u.operand(), ctx));
            case FieldExpr.Binary b -> binary(b, ctx);
        };
    }

    /**
     * True when {@code filter} holds on the span. If it reads event (link) data it is evaluated once per event
     * (link) and holds when it holds for some event (link), so conditions joined by {@code &&} must hold on the
     * same event.
     */
    boolean matches(FieldExpr filter, ScopeUse use, TraceContext trace, SpanData span) {
        List<? extends EventData> events = use.events() ? span.events() : List.of();
        List<? extends LinkData> links = use.links() ? span.links() : List.of();
        int eventCount = Math.max(1, events.size());
        int linkCount = Math.max(1, links.size());
        for (int e = 0; e < eventCount; e++) {
            EventData event = events.isEmpty() ? null : events.get(e);
            for (int l = 0; l < linkCount; l++) {
                LinkData link = links.isEmpty() ? null : links.get(l);
                if (evaluate(filter, new SpanContext(trace, span, event, link)) instanceof Value.BoolValue b
                        && b.value()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether an expression reads event or link data. */
    record ScopeUse(boolean events, boolean links) {

        static ScopeUse of(FieldExpr e) {
            return switch (e) {
                case Attribute a -> new ScopeUse(a.scope() == AttributeScope.EVENT, a.scope() == AttributeScope.LINK);
                case FieldExpr.Literal l -> new ScopeUse(false, false);
                case FieldExpr.Unary u -> of(u.operand());
                case FieldExpr.Binary b -> {
                    ScopeUse l = of(b.lhs());
                    ScopeUse r = of(b.rhs());
                    yield new ScopeUse(l.events || r.events, l.links || r.links);
                }
            };
        }
    }

    private Value binary(FieldExpr.Binary b, SpanContext ctx) {
        Operator op = b.op();
        switch (op) {
            case AND -> {
                if (!(evaluate(b.lhs(), ctx) instanceof Value.BoolValue l) || !l.value()) {
                    return Value.FALSE;
                }
                return evaluate(b.rhs(), ctx) instanceof Value.BoolValue r ? r : Value.FALSE;
            }
            case OR -> {
                if (!(evaluate(b.lhs(), ctx) instanceof Value.BoolValue l)) {
                    return Value.FALSE;
                }
                Value r = evaluate(b.rhs(), ctx);
                return r instanceof Value.BoolValue rb ? Value.of(l.value() || rb.value()) : Value.FALSE;
            }
            case REGEX, NOT_REGEX -> {
                Value value = evaluate(b.lhs(), ctx);
                if (!(evaluate(b.rhs(), ctx) instanceof Value.StringValue pattern)) {
                    return Value.FALSE;
                }
                return Operations.regex(op, value, regex(pattern.value()));
            }
            default -> {
            }
        }
        if (op == Operator.EQ || op == Operator.NEQ) {
            boolean lhsNil = FieldExpr.isNilLiteral(b.lhs());
            boolean rhsNil = FieldExpr.isNilLiteral(b.rhs());
            if (lhsNil && rhsNil) {
                return Value.FALSE;
            }
            if (lhsNil || rhsNil) {
                boolean absent = evaluate(lhsNil ? b.rhs() : b.lhs(), ctx).isNil();
                return Value.of(op == Operator.EQ ? absent : !absent);
            }
        }
        Value lhs = evaluate(b.lhs(), ctx);
        Value rhs = evaluate(b.rhs(), ctx);
        return op.isArithmetic() ? Operations.arithmetic(op, lhs, rhs) : Operations.compare(op, lhs, rhs);
    }

    Pattern regex(String pattern) {
        return regexes.computeIfAbsent(pattern, GoRegex::compile);
    }
}
