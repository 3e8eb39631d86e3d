package io.vivace.common.traceql;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a storage layer may use to skip spans (and traces) before the engine evaluates a query (reference §4.1).
 *
 * <p><b>Contract.</b> Conditions with {@link ConditionOp#NONE} only name columns the engine reads; they never
 * filter. Among the other ("filtering") conditions:
 * <ul>
 *   <li>{@code allConditions == true}: a span can only be part of a result if it satisfies <em>every</em>
 *       filtering condition, so storage may drop any span failing one (and a trace with no span left);</li>
 *   <li>{@code allConditions == false}: a span can only be part of a result if it satisfies <em>at least one</em>
 *       filtering condition;</li>
 *   <li>no filtering condition at all: every span is needed.</li>
 * </ul>
 * Either way the engine then re-evaluates the exact query on the spans kept, so storage only has to be a
 * superset. Predicates under {@code !} are never pushed (that was Tempo's §2.13.2 bug). Queries that need the
 * trace as a whole beyond the matched spans ({@code span:childCount}, or a filter such as {@code {}} combined with
 * other spansets) come back without filtering conditions. Trace-level intrinsics the engine reads from
 * {@link TraceData} must describe the whole trace even when some spans were skipped.
 *
 * @param conditions deduplicated, in query order
 * @param allConditions see above
 * @param resultAttributes attributes not needed to decide a match but returned with result spans or used for
 *     metrics series ({@code select()}, metrics {@code by()} and function arguments): load them for kept spans
 * @param matchesNothing the query can never match (e.g. {@code { false }}): no data needs to be read
 * @param traceRequirements what a whole trace must hold to match, on top of the per-span contract: for each
 *     requirement, at least {@code minSpans} spans passing all of its conditions (e.g. {@code { a } && { b }} needs a
 *     span passing a and one passing b). Each condition is one of {@link #conditions}. Only true of a whole trace: a
 *     storage layer holding a part of a trace may apply them only when it knows the part is the whole trace.
 */
public record FetchConditions(List<Condition> conditions, boolean allConditions, Set<Attribute> resultAttributes,
        boolean matchesNothing, List<SpanRequirement> traceRequirements) {

    /** At least {@code minSpans} spans of the trace pass every one of {@code conditions}. */
    public record SpanRequirement(List<Condition> conditions, int minSpans) {
        public SpanRequirement {
            conditions = List.copyOf(conditions);
            if (conditions.isEmpty() || minSpans < 1) {
                throw new IllegalArgumentException("a requirement needs a condition and at least one span");
            }
        }
    }

    public FetchConditions {
        conditions = List.copyOf(conditions);
        resultAttributes = Collections.unmodifiableSet(new LinkedHashSet<>(resultAttributes));
        traceRequirements = List.copyOf(traceRequirements);
    }

    public FetchConditions(List<Condition> conditions, boolean allConditions, Set<Attribute> resultAttributes,
                           boolean matchesNothing) {
        this(conditions, allConditions, resultAttributes, matchesNothing, List.of());
    }

    /** The conditions that filter (not {@link ConditionOp#NONE}). */
    public List<Condition> filteringConditions() {
        return conditions.stream().filter(Condition::filters).toList();
    }
}
