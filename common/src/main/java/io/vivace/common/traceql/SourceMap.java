package io.vivace.common.traceql;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Where each AST node was written, so that validation errors can point into the query. Keyed by identity: two equal
 * records from different places in the query keep their own positions.
 */
final class SourceMap {

    private final Map<Object, Position> positions = new IdentityHashMap<>();

    <T> T put(T node, Position position) {
        positions.putIfAbsent(node, position);
        return node;
    }

    Position of(Object node) {
        return positions.getOrDefault(node, Position.START);
    }

    /** The position of the first of these nodes that has one. */
    Position of(Object node, Object fallback) {
        Position p = positions.get(node);
        return p != null ? p : of(fallback);
    }
}
