package io.vivace.common.traceql;

/**
 * One lexical token. {@code value} holds the decoded literal: a {@code String} for strings, {@code Long} for
 * integers and durations (nanoseconds), {@code Double} for floats, an {@link Attribute} for attribute and intrinsic
 * tokens; null otherwise.
 */
record Token(TokenType type, String text, Position position, Object value) {

    boolean is(TokenType t) {
        return type == t;
    }

    /** An identifier (keyword) with this exact text. */
    boolean isWord(String word) {
        return type == TokenType.IDENT && text.equals(word);
    }

    String describe() {
        return switch (type) {
            case EOF -> "end of query";
            case IDENT -> "'" + text + "'";
            case STRING -> "string " + text;
            case INT, FLOAT, DURATION -> "number " + text;
            case ATTRIBUTE, SCOPED_INTRINSIC -> "'" + text + "'";
            default -> type.description();
        };
    }
}
