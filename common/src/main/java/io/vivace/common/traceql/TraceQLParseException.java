package io.vivace.common.traceql;

/**
 * A query that cannot be run: it does not parse, fails validation, or uses something the engine does not support.
 * {@link #getMessage()} reads like {@code parse error at line 1, col 8: unexpected '}', expected a value} and is
 * meant to be shown to the user as is (HTTP 400).
 */
public final class TraceQLParseException extends Exception {

    /** Which stage rejected the query; mirrors Tempo's parse error / validate error / "unsupported". */
    public enum Kind {
        SYNTAX("parse error"),
        INVALID("invalid query"),
        UNSUPPORTED("unsupported");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Kind kind;
    private final Position position;
    private final String detail;

    public TraceQLParseException(Kind kind, Position position, String detail) {
        super(kind.label() + " at " + position + ": " + detail);
        this.kind = kind;
        this.position = position;
        this.detail = detail;
    }

    static TraceQLParseException syntax(Position position, String detail) {
        return new TraceQLParseException(Kind.SYNTAX, position, detail);
    }

    static TraceQLParseException invalid(Position position, String detail) {
        return new TraceQLParseException(Kind.INVALID, position, detail);
    }

    static TraceQLParseException unsupported(Position position, String detail) {
        return new TraceQLParseException(Kind.UNSUPPORTED, position, detail);
    }

    public Kind kind() {
        return kind;
    }

    public Position position() {
        return position;
    }

    /** The message without the "kind at position" prefix. */
    public String detail() {
        return detail;
    }
}
