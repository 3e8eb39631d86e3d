package io.vivace.common.traceql;

/**
 * Operators inside a spanset filter (and in scalar expressions), with their binding strength from the reference's
 * precedence table (§1.3): a larger number binds tighter.
 */
public enum Operator {
    AND("&&", 2),
    OR("||", 2),
    EQ("=", 3),
    NEQ("!=", 3),
    LT("<", 3),
    LTE("<=", 3),
    GT(">", 3),
    GTE(">=", 3),
    REGEX("=~", 3),
    NOT_REGEX("!~", 3),
    ADD("+", 4),
    SUB("-", 4),
    MUL("*", 6),
    DIV("/", 6),
    MOD("%", 6),
    POW("^", 7),
    /** Prefix {@code !}. */
    NOT("!", 5),
    /** Prefix {@code -}; binds like binary minus. */
    NEGATE("-", 4);

    private final String symbol;
    private final int precedence;

    Operator(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    public String symbol() {
        return symbol;
    }

    public int precedence() {
        return precedence;
    }

    public boolean isRightAssociative() {
        return this == POW;
    }

    public boolean isLogical() {
        return this == AND || this == OR;
    }

    /** {@code = != < <= > >=} (not the regex operators). */
    public boolean isComparison() {
        return this == EQ || this == NEQ || this == LT || this == LTE || this == GT || this == GTE;
    }

    public boolean isRegex() {
        return this == REGEX || this == NOT_REGEX;
    }

    public boolean isArithmetic() {
        return this == ADD || this == SUB || this == MUL || this == DIV || this == MOD || this == POW;
    }

    /** The same comparison with its operands swapped ({@code a < b} is {@code b > a}). */
    public Operator mirrored() {
        return switch (this) {
            case LT -> GT;
            case LTE -> GTE;
            case GT -> LT;
            case GTE -> LTE;
            default -> this;
        };
    }
}
