package io.vivace.common.traceql;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Run-time semantics of comparisons and arithmetic on values (reference §2.5): a nil operand or incompatible types
 * make a comparison false (also for {@code !=}); int, float and duration compare numerically; arrays match when any
 * element does ({@code !=} / {@code !~}: when none does); int arithmetic stays int, anything else is float.
 */
final class Operations {

    private Operations() {
    }

    static Value.BoolValue compare(Operator op, Value lhs, Value rhs) {
        if (lhs.isNil() || rhs.isNil()) {
            return Value.FALSE;
        }
        if (lhs instanceof Value.ArrayValue left) {
            if (rhs instanceof Value.ArrayValue) {
                throw new TraceQLRuntimeException("cannot compare two arrays");
            }
            return Value.of(compareArray(op, left, rhs, false));
        }
        if (rhs instanceof Value.ArrayValue right) {
            return Value.of(compareArray(op, right, lhs, true));
        }
        return Value.of(compareScalars(op, lhs, rhs));
    }

    private static boolean compareArray(Operator op, Value.ArrayValue array, Value scalar, boolean arrayOnRight) {
        ValueType element = array.elementType();
        if (element != scalar.type() && !(element.isNumeric() && scalar.isNumeric())) {
            return false;
        }
        List<Value> elements = array.elements();
        if (op == Operator.NEQ) {
            return elements.stream().noneMatch(e -> compareScalars(Operator.EQ, e, scalar));
        }
        return elements.stream().anyMatch(e -> arrayOnRight ? compareScalars(op, scalar, e) : compareScalars(op, e, scalar));
    }

    static boolean compareScalars(Operator op, Value lhs, Value rhs) {
        if (lhs.isNumeric() && rhs.isNumeric()) {
            return compareNumbers(op, lhs, rhs);
        }
        if (lhs instanceof Value.StringValue l && rhs instanceof Value.StringValue r) {
            return holds(op, compareCodePoints(l.value(), r.value()));
        }
        if (lhs.type() != rhs.type() || !(lhs instanceof Value.BoolValue || lhs instanceof Value.StatusValue
                || lhs instanceof Value.KindValue)) {
            return false;
        }
        return switch (op) {
            case EQ -> lhs.equals(rhs);
            case NEQ -> !lhs.equals(rhs);
            default -> false;
        };
    }

    private static boolean compareNumbers(Operator op, Value lhs, Value rhs) {
        if (!(lhs instanceof Value.FloatValue) && !(rhs instanceof Value.FloatValue)) {
            return holds(op, Long.compare(integral(lhs), integral(rhs)));
        }
        return holds(op, lhs.asDouble(), rhs.asDouble());
    }

    /** Whether {@code a op b} holds for two doubles (NaN compares false except with {@code !=}). */
    static boolean holds(Operator op, double a, double b) {
        return switch (op) {
            case EQ -> a == b;
            case NEQ -> a != b;
            case LT -> a < b;
            case LTE -> a <= b;
            case GT -> a > b;
            case GTE -> a >= b;
            default -> false;
        };
    }

    private static long integral(Value v) {
        return v instanceof Value.IntValue i ? i.value() : ((Value.DurationValue) v).nanos();
    }

    /** Whether a comparison's result ({@code compare} style) satisfies the operator. */
    static boolean holds(Operator op, int cmp) {
        return switch (op) {
            case EQ -> cmp == 0;
            case NEQ -> cmp != 0;
            case LT -> cmp < 0;
            case LTE -> cmp <= 0;
            case GT -> cmp > 0;
            case GTE -> cmp >= 0;
            default -> false;
        };
    }

    /** Code point order, which is the byte order of UTF-8 (Go compares strings byte-wise). */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    static Value.BoolValue regex(Operator op, Value value, Pattern pattern) {
        boolean want = op == Operator.REGEX;
        return switch (value) {
            case Value.StringValue s -> Value.of(GoRegex.matches(pattern, s.value()) == want);
            case Value.ArrayValue a when a.elementType() == ValueType.STRING -> {
                boolean any = a.elements().stream()
                        .anyMatch(e -> GoRegex.matches(pattern, ((Value.StringValue) e).value()));
                yield Value.of(want == any);
            }
            default -> Value.FALSE;
        };
    }

    static Value arithmetic(Operator op, Value lhs, Value rhs) {
        if (lhs instanceof Value.ArrayValue || rhs instanceof Value.ArrayValue) {
            throw new TraceQLRuntimeException("arithmetic on arrays is not supported");
        }
        if (!lhs.isNumeric() || !rhs.isNumeric()) {
            return Value.NIL;
        }
        if (lhs instanceof Value.IntValue(long a) && rhs instanceof Value.IntValue(long b)) {
            return Value.of(switch (op) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> {
                    if (b == 0) {
                        throw new TraceQLRuntimeException("integer division by zero");
                    }
                    yield a / b;
                }
                case MOD -> {
                    if (b == 0) {
                        throw new TraceQLRuntimeException("integer modulo by zero");
                    }
                    yield a % b;
                }
                case POW -> power(a, b);
                default -> throw new IllegalArgumentException("not arithmetic: " + op);
            });
        }
        double a = lhs.asDouble();
        double b = rhs.asDouble();
        return Value.of(switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MOD -> a % b;
            case POW -> Math.pow(a, b);
            default -> throw new IllegalArgumentException("not arithmetic: " + op);
        });
    }

    /** {@code base ^ exponent} in 64-bit integers (wrapping like Go); negative exponents truncate toward zero. */
    static long power(long base, long exponent) {
        if (exponent < 0) {
            if (base == 1) {
                return 1;
            }
            if (base == -1) {
                return (exponent & 1) == 0 ? 1 : -1;
            }
            return 0;
        }
        long result = 1;
        long b = base;
        long e = exponent;
        while (e > 0) {
            if ((e & 1) == 1) {
                result *= b;
            }
            b *= b;
            e >>= 1;
        }
        return result;
    }

    static Value negate(Value v) {
        return switch (v) {
            case Value.IntValue i -> Value.of(-i.value());
            case Value.FloatValue f -> Value.of(-f.value());
            case Value.DurationValue d -> Value.ofDuration(-d.nanos());
            case Value.ArrayValue a -> throw new TraceQLRuntimeException("arithmetic on arrays is not supported");
            default -> Value.NIL;
        };
    }

    /** {@code !v}; nil when {@code v} is not a boolean (Tempo fails the query there, the engine just doesn't match). */
    static Value not(Value v) {
        return v instanceof Value.BoolValue b ? Value.of(!b.value()) : Value.NIL;
    }
}
