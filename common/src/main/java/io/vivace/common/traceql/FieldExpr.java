package io.vivace.common.traceql;

/** An expression inside a spanset filter {@code { ... }}, evaluated on one span at a time. */
public sealed interface FieldExpr permits FieldExpr.Literal, FieldExpr.Binary, FieldExpr.Unary, Attribute {

    /** A constant; {@code Literal(Value.NIL)} only appears as an operand of {@code = nil} / {@code != nil}. */
    record Literal(Value value) implements FieldExpr {
        @Override
        public String toString() {
            return value.toString();
        }
    }

    record Binary(Operator op, FieldExpr lhs, FieldExpr rhs) implements FieldExpr {
        @Override
        public String toString() {
            return QueryPrinter.field(this);
        }
    }

    /** {@link Operator#NOT} or {@link Operator#NEGATE}. */
    record Unary(Operator op, FieldExpr operand) implements FieldExpr {
        @Override
        public String toString() {
            return QueryPrinter.field(this);
        }
    }

    static boolean isNilLiteral(FieldExpr e) {
        return e instanceof Literal l && l.value().isNil();
    }

    /** True when the expression reads something from the span (an attribute or intrinsic). */
    static boolean referencesSpan(FieldExpr e) {
        return switch (e) {
            case Attribute a -> true;
            case Literal l -> false;
            case Binary b -> referencesSpan(b.lhs()) || referencesSpan(b.rhs());
            case Unary u -> referencesSpan(u.operand());
        };
    }
}
