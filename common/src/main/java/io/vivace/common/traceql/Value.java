package io.vivace.common.traceql;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A typed TraceQL value: a literal in a query, an attribute or intrinsic read from a span, or a computed result.
 * A missing attribute is {@link #NIL}. Records compare by type and value, so {@code int 1}, {@code float 1.0} and
 * {@code 1ns} are different values (what {@code by()} groups by); numeric comparisons across the three are done
 * by the engine, not by {@code equals}.
 */
public sealed interface Value {

    NilValue NIL = new NilValue();
    BoolValue TRUE = new BoolValue(true);
    BoolValue FALSE = new BoolValue(false);

    ValueType type();

    static StringValue of(String value) {
        return new StringValue(value);
    }

    static IntValue of(long value) {
        return new IntValue(value);
    }

    static FloatValue of(double value) {
        return new FloatValue(value);
    }

    static BoolValue of(boolean value) {
        return value ? TRUE : FALSE;
    }

    static StatusValue of(StatusCode status) {
        return new StatusValue(status);
    }

    static KindValue of(SpanKind kind) {
        return new KindValue(kind);
    }

    static DurationValue ofDuration(long nanos) {
        return new DurationValue(nanos);
    }

    /** A homogeneous array; {@code elementType} is one of bool, int, float, string. */
    static ArrayValue array(ValueType elementType, List<? extends Value> elements) {
        return new ArrayValue(elementType, List.copyOf(elements));
    }

    default boolean isNil() {
        return this instanceof NilValue;
    }

    /** Int, float or duration. */
    default boolean isNumeric() {
        return type().isNumeric();
    }

    /** The value as a double (durations in nanoseconds); only for numeric values. */
    default double asDouble() {
        return switch (this) {
            case IntValue i -> i.value();
            case FloatValue f -> f.value();
            case DurationValue d -> d.nanos();
            default -> throw new IllegalStateException("not numeric: " + this);
        };
    }

    record StringValue(String value) implements Value {
        public StringValue {
            java.util.Objects.requireNonNull(value);
        }

        @Override
        public ValueType type() {
            return ValueType.STRING;
        }

        @Override
        public String toString() {
            return StringLiterals.quote(value);
        }
    }

    record IntValue(long value) implements Value {
        @Override
        public ValueType type() {
            return ValueType.INT;
        }

        /** The literal; {@code minInt} for the one int that has no digits-only literal. */
        @Override
        public String toString() {
            return value == Long.MIN_VALUE ? "minInt" : Long.toString(value);
        }
    }

    record FloatValue(double value) implements Value {
        @Override
        public ValueType type() {
            return ValueType.FLOAT;
        }

        /** The literal; non-finite values (only from folding, e.g. {@code 1.0 / 0.0}) print as that division. */
        @Override
        public String toString() {
            if (Double.isNaN(value)) {
                return "(0.0 / 0.0)";
            }
            if (Double.isInfinite(value)) {
                return value > 0 ? "(1.0 / 0.0)" : "(-1.0 / 0.0)";
            }
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                return Long.toString((long) value) + ".0";
            }
            return Double.toString(value);
        }
    }

    /** A duration in nanoseconds. */
    record DurationValue(long nanos) implements Value {
        @Override
        public ValueType type() {
            return ValueType.DURATION;
        }

        @Override
        public String toString() {
            return DurationLiterals.format(nanos);
        }
    }

    record BoolValue(boolean value) implements Value {
        @Override
        public ValueType type() {
            return ValueType.BOOL;
        }

        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    record StatusValue(StatusCode status) implements Value {
        @Override
        public ValueType type() {
            return ValueType.STATUS;
        }

        @Override
        public String toString() {
            return status.keyword();
        }
    }

    record KindValue(SpanKind kind) implements Value {
        @Override
        public ValueType type() {
            return ValueType.KIND;
        }

        @Override
        public String toString() {
            return kind.keyword();
        }
    }

    record NilValue() implements Value {
        @Override
        public ValueType type() {
            return ValueType.NIL;
        }

        @Override
        public String toString() {
            return "nil";
        }
    }

    record ArrayValue(ValueType elementType, List<Value> elements) implements Value {
        public ArrayValue {
            if (elementType != ValueType.BOOL && elementType != ValueType.INT && elementType != ValueType.FLOAT
                    && elementType != ValueType.STRING) {
                throw new IllegalArgumentException("arrays hold bool, int, float or string, not " + elementType);
            }
            for (Value v : elements) {
                if (v.type() != elementType) {
                    throw new IllegalArgumentException("array of " + elementType + " holds " + v.type());
                }
            }
        }

        @Override
        public ValueType type() {
            return elementType.arrayType();
        }

        @Override
        public String toString() {
            return elements.stream().map(Value::toString).collect(Collectors.joining(", ", "[", "]"));
        }
    }
}
