package io.vivace.common.traceql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structural operators on nested-set numbers (reference §2.7): {@code descendant(d, a)} ⇔ {@code a.left < d.left}
 * and {@code d.right < a.right}; {@code child(c, p)} ⇔ {@code c.parent = p.left}; siblings share a parent and are
 * different spans. Spans without numbers (left = 0: disconnected or unnumbered) never take part, not even as
 * results of a negated operator, since their relations are unknown.
 *
 * <p>Cost is O((|L| + |R|) log |L|): lookups in hash sets or a sorted array, never all pairs.
 */
final class StructuralMatcher {

    private StructuralMatcher() {
    }

    /** The spans {@code L op R} returns, in no particular order. */
    static List<SpanData> apply(SpansetOp op, List<SpanData> left, List<SpanData> right) {
        List<SpanData> l = numbered(left);
        List<SpanData> r = numbered(right);
        SpansetOp.Relation relation = op.relation();
        return switch (op.mode()) {
            case PLAIN -> related(relation, l, r, true);
            case NEGATED -> related(relation, l, r, false);
            case UNION -> {
                List<SpanData> out = new ArrayList<>(related(relation, l, r, true));
                out.addAll(related(relation.reversed(), r, l, true));
                yield out;
            }
            case LOGICAL -> throw new IllegalArgumentException("not structural: " + op);
        };
    }

    private static List<SpanData> numbered(List<SpanData> spans) {
        return spans.stream().filter(s -> s.nestedSetLeft() != 0).toList();
    }

    /** The r ∈ candidates that do ({@code wanted}) or do not have {@code relation} to some l ∈ anchors. */
    private static List<SpanData> related(SpansetOp.Relation relation, List<SpanData> anchors,
            List<SpanData> candidates, boolean wanted) {
        Tester tester = switch (relation) {
            case CHILD -> childOf(anchors);
            case PARENT -> parentOf(anchors);
            case DESCENDANT -> descendantOf(anchors);
            case ANCESTOR -> ancestorOf(anchors);
            case SIBLING -> siblingOf(anchors);
        };
        List<SpanData> out = new ArrayList<>();
        for (SpanData r : candidates) {
            if (tester.test(r) == wanted) {
                out.add(r);
            }
        }
        return out;
    }

    private interface Tester {
        boolean test(SpanData r);
    }

    private static Tester childOf(List<SpanData> anchors) {
        Set<Integer> lefts = new HashSet<>();
        anchors.forEach(a -> lefts.add(a.nestedSetLeft()));
        return r -> lefts.contains(r.nestedSetParent());
    }

    private static Tester parentOf(List<SpanData> anchors) {
        Set<Integer> parents = new HashSet<>();
        anchors.forEach(a -> parents.add(a.nestedSetParent()));
        return r -> parents.contains(r.nestedSetLeft());
    }

    /** r has an ancestor among the anchors: some anchor interval, sorted by left, strictly encloses r. */
    private static Tester descendantOf(List<SpanData> anchors) {
        List<SpanData> sorted = anchors.stream().sorted(Comparator.comparingInt(SpanData::nestedSetLeft)).toList();
        int[] lefts = sorted.stream().mapToInt(SpanData::nestedSetLeft).toArray();
        int[] maxRight = new int[sorted.size()];
        for (int i = 0; i < maxRight.length; i++) {
            maxRight[i] = Math.max(i == 0 ? Integer.MIN_VALUE : maxRight[i - 1], sorted.get(i).nestedSetRight());
        }
        return r -> {
            int before = lastIndexBelow(lefts, r.nestedSetLeft());
            return before >= 0 && maxRight[before] > r.nestedSetRight();
        };
    }

    /** r is an ancestor of some anchor: an anchor's left lies strictly inside r's interval. */
    private static Tester ancestorOf(List<SpanData> anchors) {
        int[] lefts = anchors.stream().mapToInt(SpanData::nestedSetLeft).sorted().toArray();
        return r -> {
            int first = lastIndexBelow(lefts, r.nestedSetLeft() + 1) + 1;
            return first < lefts.length && lefts[first] < r.nestedSetRight();
        };
    }

    private static Tester siblingOf(List<SpanData> anchors) {
        Map<Integer, Integer> perParent = new HashMap<>();
        Map<SpanData, Boolean> isAnchor = new IdentityHashMap<>();
        for (SpanData a : anchors) {
            perParent.merge(a.nestedSetParent(), 1, Integer::sum);
            isAnchor.put(a, true);
        }
        return r -> perParent.getOrDefault(r.nestedSetParent(), 0) - (isAnchor.containsKey(r) ? 1 : 0) > 0;
    }

    /** Index of the last element strictly below {@code value} in a sorted array, -1 if none. */
    private static int lastIndexBelow(int[] sorted, int value) {
        int i = Arrays.binarySearch(sorted, value);
        if (i < 0) {
            return -i - 2;
        }
        while (i > 0 && sorted[i - 1] == value) {
            i--;
        }
        return i - 1;
    }
}
