package io.vivace.common.traceql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NestedSetNumberingTest {

    private static NestedSetNumbering.Node node(String id, String parent) {
        return node(id, parent, SpanKind.INTERNAL);
    }

    private static NestedSetNumbering.Node node(String id, String parent, SpanKind kind) {
        return new NestedSetNumbering.Node(id, parent, kind);
    }

    private static NestedSetNumbering.Numbers n(int left, int right, int parent) {
        return new NestedSetNumbering.Numbers(left, right, parent);
    }

    @Test
    void depthFirstFromTheRootInInputOrder() {
        // r -> a -> c, r -> b; listed out of order
        List<NestedSetNumbering.Numbers> numbers = NestedSetNumbering.number(List.of(
                node("c", "a"), node("b", "r"), node("r", ""), node("a", "r")));
        // children of r in input order: b (listed first) then a
        assertEquals(n(2, 3, 1), numbers.get(1));
        assertEquals(n(4, 7, 1), numbers.get(3));
        assertEquals(n(5, 6, 4), numbers.get(0));
        assertEquals(n(1, 8, -1), numbers.get(2));
    }

    @Test
    void severalRootsShareOneCounter() {
        assertEquals(List.of(n(1, 4, -1), n(2, 3, 1), n(5, 6, -1)),
                NestedSetNumbering.number(List.of(node("r1", ""), node("x", "r1"), node("r2", ""))));
    }

    @Test
    void disconnectedSpansStayZero() {
        assertEquals(List.of(n(1, 2, -1), NestedSetNumbering.Numbers.NONE, NestedSetNumbering.Numbers.NONE),
                NestedSetNumbering.number(List.of(node("r", ""), node("orphan", "missing"), node("self", "self"))));
    }

    @Test
    void noRootOrTooManyDuplicatesLeaveEverythingUnnumbered() {
        assertEquals(List.of(NestedSetNumbering.Numbers.NONE, NestedSetNumbering.Numbers.NONE),
                NestedSetNumbering.number(List.of(node("a", "b"), node("b", "a"))));
        assertEquals(NestedSetNumbering.Numbers.NONE, NestedSetNumbering.number(List.of(node("r", ""),
                node("x", "r"), node("x", "r"), node("x", "r"))).getFirst());
    }

    @Test
    void zipkinSharedSpanIdHangsChildrenUnderTheServer() {
        // client and server share id "s"; the server's parent is the shared id itself.
        List<NestedSetNumbering.Numbers> numbers = NestedSetNumbering.number(List.of(
                node("r", ""), node("s", "r", SpanKind.CLIENT), node("s", "s", SpanKind.SERVER), node("c", "s")));
        assertEquals(n(1, 8, -1), numbers.get(0));
        assertEquals(n(2, 7, 1), numbers.get(1));
        assertEquals(n(3, 6, 2), numbers.get(2));
        assertEquals(n(4, 5, 3), numbers.get(3));
    }
}
