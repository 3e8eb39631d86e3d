package io.vivace.common.traceql;

/** A place in the query text: 1-based line and column (columns count Unicode code points). */
public record Position(int line, int column) {

    public static final Position START = new Position(1, 1);

    @Override
    public String toString() {
        return "line " + line + ", col " + column;
    }
}
