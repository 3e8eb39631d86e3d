package io.vivace.common.traceql;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the engine reads of a trace's spans to evaluate one search query and build its results, beyond what every
 * span model must give (span and parent IDs, name, start, duration, the resource's {@code service.name}, the
 * instrumentation scope's name): so a store can build spans from only those columns. Attribute keys are per scope;
 * an unscoped {@code .key} is both a span and a resource key.
 *
 * @param kind {@code kind} is read
 * @param status {@code status} is read
 * @param statusMessage {@code statusMessage} is read
 * @param nestedSets the nested-set numbers are read: a structural operator or a {@code nestedSet*} intrinsic
 * @param scopeVersion {@code instrumentation:version} is read
 */
public record SpanFields(boolean kind, boolean status, boolean statusMessage, boolean nestedSets, boolean scopeVersion,
                         Set<String> spanAttributes, Set<String> resourceAttributes, Set<String> scopeAttributes) {

    public SpanFields {
        spanAttributes = Set.copyOf(spanAttributes);
        resourceAttributes = Set.copyOf(resourceAttributes);
        scopeAttributes = Set.copyOf(scopeAttributes);
    }

    /**
     * The fields a search query reads, or null when it reads what such a model does not hold: events, links (their
     * attributes and intrinsics) or the unsupported {@code parent.} prefix. A metrics query gives null too.
     */
    public static SpanFields of(TraceQLQuery query) {
        if (!(query.root() instanceof RootExpr.Search search)) {
            return null;
        }
        Set<Attribute> read = new LinkedHashSet<>();
        AttributeCollector.collect(search.expr(), read);
        boolean kind = false;
        boolean status = false;
        boolean statusMessage = false;
        boolean nestedSets = structural(search.expr());
        boolean scopeVersion = false;
        Set<String> span = new LinkedHashSet<>();
        Set<String> resource = new LinkedHashSet<>();
        Set<String> scope = new LinkedHashSet<>();
        for (Attribute a : read) {
            if (a.parent()) {
                return null;
            }
            if (a.isIntrinsic()) {
                switch (a.intrinsic()) {
                    case KIND -> kind = true;
                    case STATUS -> status = true;
                    case STATUS_MESSAGE -> statusMessage = true;
                    case NESTED_SET_LEFT, NESTED_SET_RIGHT, NESTED_SET_PARENT -> nestedSets = true;
                    case INSTRUMENTATION_VERSION -> scopeVersion = true;
                    case EVENT_NAME, EVENT_TIME_SINCE_START, LINK_TRACE_ID, LINK_SPAN_ID, PARENT -> {
                        return null;
                    }
                    default -> {
                        // Always there: IDs, parent IDs (child count), name, duration, trace-level values, scope name.
                    }
                }
                continue;
            }
            switch (a.scope()) {
                case SPAN -> span.add(a.name());
                case RESOURCE -> resource.add(a.name());
                case NONE -> {
                    span.add(a.name());
                    resource.add(a.name());
                }
                case INSTRUMENTATION -> scope.add(a.name());
                case EVENT, LINK -> {
                    return null;
                }
                case TRACE -> {
                    // Not an attribute scope: reads as nil.
                }
            }
        }
        return new SpanFields(kind, status, statusMessage, nestedSets, scopeVersion, span, resource, scope);
    }

    private static boolean structural(SpansetExpr e) {
        return switch (e) {
            case SpansetFilter f -> false;
            case SpansetOperation o -> o.op().isStructural() || structural(o.lhs()) || structural(o.rhs());
            case Pipeline p -> p.elements().stream().anyMatch(SpanFields::structural);
        };
    }

    private static boolean structural(PipelineElement e) {
        return switch (e) {
            case SpansetExpr s -> structural(s);
            case ScalarFilter f -> structural(f.lhs()) || structural(f.rhs());
            case GroupBy g -> false;
            case Coalesce c -> false;
            case Select s -> false;
        };
    }

    private static boolean structural(ScalarExpr e) {
        return switch (e) {
            case ScalarExpr.Aggregate a -> false;
            case ScalarExpr.Literal l -> false;
            case ScalarExpr.Arithmetic a -> structural(a.lhs()) || structural(a.rhs());
            case ScalarExpr.PipelineAggregate p -> structural(p.pipeline());
        };
    }
}
