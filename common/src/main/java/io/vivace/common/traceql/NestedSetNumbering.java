package io.vivace.common.traceql;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes nested-set numbers for spans that do not have them yet (recent data held in memory), the way the block
 * writer does (reference §2.1): a depth-first walk from each root (no parent ID), in input order, numbering
 * {@code left} on entry and {@code right} on exit from one counter starting at 1; {@code parent} is the parent's
 * {@code left}, -1 for a root. Spans not reachable from a root keep 0, and so does every span when the trace has no
 * root or a span ID occurs more than twice. Two spans may share an ID (Zipkin's shared client/server span): a child
 * then hangs under the SERVER one, or under the CLIENT one when the child itself is the SERVER.
 */
public final class NestedSetNumbering {

    /** A span as the numbering sees it; IDs are hex strings, an empty {@code parentSpanId} marks a root. */
    public record Node(String spanId, String parentSpanId, SpanKind kind) {
    }

    /** The numbers of one span. */
    public record Numbers(int left, int right, int parent) {
        public static final Numbers NONE = new Numbers(0, 0, 0);
    }

    private NestedSetNumbering() {
    }

    /** Numbers for each node, in input order. */
    public static List<Numbers> number(List<Node> nodes) {
        int n = nodes.size();
        Numbers[] out = new Numbers[n];
        Arrays.fill(out, Numbers.NONE);
        Map<String, List<Integer>> byId = new HashMap<>();
        boolean hasRoot = false;
        for (int i = 0; i < n; i++) {
            List<Integer> same = byId.computeIfAbsent(nodes.get(i).spanId(), k -> new ArrayList<>(2));
            same.add(i);
            if (same.size() > 2) {
                return List.of(out);
            }
            hasRoot |= isRoot(nodes.get(i));
        }
        if (!hasRoot) {
            return List.of(out);
        }
        List<List<Integer>> children = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            children.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            if (!isRoot(nodes.get(i))) {
                int parent = chooseParent(nodes, i, byId.get(nodes.get(i).parentSpanId()));
                if (parent >= 0) {
                    children.get(parent).add(i);
                }
            }
        }
        int[] left = new int[n];
        int[] right = new int[n];
        int[] parentLeft = new int[n];
        int counter = 1;
        for (int root = 0; root < n; root++) {
            if (!isRoot(nodes.get(root)) || left[root] != 0) {
                continue;
            }
            Deque<int[]> stack = new ArrayDeque<>(); // {span, next child index}
            left[root] = counter++;
            parentLeft[root] = -1;
            stack.push(new int[] {root, 0});
            while (!stack.isEmpty()) {
                int[] top = stack.peek();
                List<Integer> kids = children.get(top[0]);
                if (top[1] < kids.size()) {
                    int child = kids.get(top[1]++);
                    if (left[child] != 0) {
                        continue; // already numbered: a cycle through shared IDs
                    }
                    left[child] = counter++;
                    parentLeft[child] = left[top[0]];
                    stack.push(new int[] {child, 0});
                } else {
                    right[top[0]] = counter++;
                    stack.pop();
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (left[i] != 0) {
                out[i] = new Numbers(left[i], right[i], parentLeft[i]);
            }
        }
        return List.of(out);
    }

    private static boolean isRoot(Node node) {
        return node.parentSpanId() == null || node.parentSpanId().isEmpty();
    }

    private static int chooseParent(List<Node> nodes, int child, List<Integer> candidates) {
        if (candidates == null) {
            return -1;
        }
        List<Integer> others = candidates.stream().filter(c -> c != child).toList();
        if (others.size() <= 1) {
            return others.isEmpty() ? -1 : others.getFirst();
        }
        SpanKind preferred = nodes.get(child).kind() == SpanKind.SERVER ? SpanKind.CLIENT : SpanKind.SERVER;
        for (int c : others) {
            if (nodes.get(c).kind() == preferred) {
                return c;
            }
        }
        return others.getFirst();
    }
}
