package io.vivace.common.traceql;

/** {@code coalesce()}: merges all spansets of a trace back into one. */
public record Coalesce() implements PipelineElement {

    @Override
    public String toString() {
        return "coalesce()";
    }
}
