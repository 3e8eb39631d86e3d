package io.vivace.common.traceql;

import java.util.regex.Pattern;

/**
 * The comparison of a {@link Condition} ({@code EQ} ... {@code NOT_REGEX}) applied to one scalar value a storage
 * layer read from a column, with the engine's semantics: numbers compare across int, float and duration, a type
 * mismatch fails every test ({@code !=} included), regexes are anchored RE2. The typed methods avoid building a
 * {@link Value} for the common column types. A test the engine would abandon (a runaway regex) passes: storage
 * must keep what it cannot decide.
 */
public final class ValuePredicate {

    private final Operator op;
    private final Value operand;
    private final Pattern pattern;

    private ValuePredicate(Operator op, Value operand, Pattern pattern) {
        this.op = op;
        this.operand = operand;
        this.pattern = pattern;
    }

    /** The predicate of a comparison or regex condition; null for {@code NONE}, {@code EXISTS} and {@code ABSENT}. */
    public static ValuePredicate of(Condition condition) {
        Operator op = switch (condition.op()) {
            case EQ -> Operator.EQ;
            case NEQ -> Operator.NEQ;
            case LT -> Operator.LT;
            case LTE -> Operator.LTE;
            case GT -> Operator.GT;
            case GTE -> Operator.GTE;
            case REGEX -> Operator.REGEX;
            case NOT_REGEX -> Operator.NOT_REGEX;
            case NONE, EXISTS, ABSENT -> null;
        };
        if (op == null || condition.operands().size() != 1) {
            return null;
        }
        Value operand = condition.operands().getFirst();
        Pattern pattern = null;
        if (op.isRegex()) {
            if (!(operand instanceof Value.StringValue s)) {
                return null;
            }
            pattern = GoRegex.compile(s.value());
        }
        return new ValuePredicate(op, operand, pattern);
    }

    /** Whether the test is "no element may match" on arrays ({@code !=}, {@code !~}), not "some element matches". */
    public boolean negated() {
        return op == Operator.NEQ || op == Operator.NOT_REGEX;
    }

    public boolean test(Value value) {
        if (pattern != null) {
            try {
                return Operations.regex(op, value, pattern).value();
            } catch (TraceQLRuntimeException e) {
                return true;
            }
        }
        return Operations.compare(op, value, operand).value();
    }

    /** An int attribute value. */
    public boolean testLong(long value) {
        if (pattern != null) {
            return false;
        }
        return switch (operand) {
            case Value.IntValue i -> holds(Long.compare(value, i.value()));
            case Value.DurationValue d -> holds(Long.compare(value, d.nanos()));
            case Value.FloatValue f -> holdsDouble(value, f.value());
            default -> false;
        };
    }

    /**
     * Whether some integer in {@code [min, max]} may pass (for skipping a column chunk by its statistics); true when
     * unsure.
     */
    public boolean mayPassSomeLongIn(long min, long max) {
        if (pattern != null || !operand.isNumeric()) {
            return false;
        }
        if (operand instanceof Value.FloatValue f) {
            // The engine compares an int with a float as doubles; the conversion keeps order, so the range stays exact.
            double o = f.value();
            double lo = min;
            double hi = max;
            return switch (op) {
                case EQ -> lo <= o && o <= hi;
                case NEQ -> !(lo == hi && lo == o);
                case LT -> lo < o;
                case LTE -> lo <= o;
                case GT -> hi > o;
                case GTE -> hi >= o;
                default -> true;
            };
        }
        long o = operand instanceof Value.IntValue i ? i.value() : ((Value.DurationValue) operand).nanos();
        return switch (op) {
            case EQ -> min <= o && o <= max;
            case NEQ -> !(min == max && min == o);
            case LT -> min < o;
            case LTE -> min <= o;
            case GT -> max > o;
            case GTE -> max >= o;
            default -> true;
        };
    }

    /** A duration value in nanoseconds (the {@code duration} intrinsic). */
    public boolean testDuration(long nanos) {
        return testLong(nanos);
    }

    public boolean testDouble(double value) {
        if (pattern != null || !operand.isNumeric()) {
            return false;
        }
        return holdsDouble(value, operand.asDouble());
    }

    public boolean testString(String value) {
        if (pattern != null) {
            try {
                return GoRegex.matches(pattern, value) == (op == Operator.REGEX);
            } catch (TraceQLRuntimeException e) {
                return true;
            }
        }
        if (!(operand instanceof Value.StringValue s)) {
            return false;
        }
        return holds(Operations.compareCodePoints(value, s.value()));
    }

    public boolean testBool(boolean value) {
        return test(Value.of(value));
    }

    /** The {@code status} intrinsic, as its OTLP code. */
    public boolean testStatus(int otlpCode) {
        return test(Value.of(StatusCode.fromOtlpCode(otlpCode)));
    }

    /** The {@code kind} intrinsic, as its OTLP code. */
    public boolean testKind(int otlpCode) {
        return test(Value.of(SpanKind.fromOtlpCode(otlpCode)));
    }

    private boolean holds(int cmp) {
        return Operations.holds(op, cmp);
    }

    private boolean holdsDouble(double a, double b) {
        return Operations.holds(op, a, b);
    }

    @Override
    public String toString() {
        return op.symbol() + " " + operand;
    }
}
