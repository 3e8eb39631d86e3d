package io.vivace.common.traceql;

/**
 * Types of TraceQL values. {@link #ATTRIBUTE} is the static type of something only known at run time (a plain
 * attribute reference); array types only come from data.
 */
public enum ValueType {
    NIL("nil"),
    BOOL("bool"),
    INT("int"),
    FLOAT("float"),
    DURATION("duration"),
    STRING("string"),
    STATUS("status"),
    KIND("kind"),
    BOOL_ARRAY("bool[]"),
    INT_ARRAY("int[]"),
    FLOAT_ARRAY("float[]"),
    STRING_ARRAY("string[]"),
    ATTRIBUTE("attribute");

    private final String label;

    ValueType(String label) {
        this.label = label;
    }

    public boolean isNumeric() {
        return this == INT || this == FLOAT || this == DURATION;
    }

    public boolean isArray() {
        return this == BOOL_ARRAY || this == INT_ARRAY || this == FLOAT_ARRAY || this == STRING_ARRAY;
    }

    /** The element type of an array type; the type itself otherwise. */
    public ValueType elementType() {
        return switch (this) {
            case BOOL_ARRAY -> BOOL;
            case INT_ARRAY -> INT;
            case FLOAT_ARRAY -> FLOAT;
            case STRING_ARRAY -> STRING;
            default -> this;
        };
    }

    /** The array type holding elements of this type. */
    public ValueType arrayType() {
        return switch (this) {
            case BOOL -> BOOL_ARRAY;
            case INT -> INT_ARRAY;
            case FLOAT -> FLOAT_ARRAY;
            case STRING -> STRING_ARRAY;
            default -> throw new IllegalArgumentException("no array of " + label);
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
