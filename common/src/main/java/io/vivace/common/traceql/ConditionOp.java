package io.vivace.common.traceql;

/** The test a storage layer applies to one column for a {@link Condition}. */
public enum ConditionOp {
    /** Read the column (the engine needs it) but do not filter on it. */
    NONE,
    EQ,
    NEQ,
    LT,
    LTE,
    GT,
    GTE,
    /** Fully anchored Go RE2 match ({@link Condition#operands()} holds the pattern as a string). */
    REGEX,
    NOT_REGEX,
    /** The attribute is present ({@code x != nil}). */
    EXISTS,
    /** The attribute is absent ({@code x = nil}). */
    ABSENT;

    static ConditionOp of(Operator op) {
        return switch (op) {
            case EQ -> EQ;
            case NEQ -> NEQ;
            case LT -> LT;
            case LTE -> LTE;
            case GT -> GT;
            case GTE -> GTE;
            case REGEX -> REGEX;
            case NOT_REGEX -> NOT_REGEX;
            default -> throw new IllegalArgumentException("not a condition operator: " + op);
        };
    }
}
