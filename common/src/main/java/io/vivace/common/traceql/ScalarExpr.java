package io.vivace.common.traceql;

/**
 * The sides of a scalar filter: an aggregate over a spanset, a number, arithmetic on those, or (only in the
 * unsupported scalar pipeline filters) an aggregate at the end of a parenthesised pipeline.
 */
public sealed interface ScalarExpr permits ScalarExpr.Aggregate, ScalarExpr.Literal, ScalarExpr.Arithmetic,
        ScalarExpr.PipelineAggregate {

    /** {@code count()}, or {@code min/max/avg/sum(argument)}; {@code argument} is null for count. */
    record Aggregate(AggregateFunction function, FieldExpr argument) implements ScalarExpr {
        public Aggregate {
            if ((function == AggregateFunction.COUNT) != (argument == null)) {
                throw new IllegalArgumentException("count() takes no argument, the other aggregates one");
            }
        }

        @Override
        public String toString() {
            return QueryPrinter.scalar(this);
        }
    }

    record Literal(Value value) implements ScalarExpr {
        @Override
        public String toString() {
            return value.toString();
        }
    }

    record Arithmetic(Operator op, ScalarExpr lhs, ScalarExpr rhs) implements ScalarExpr {
        @Override
        public String toString() {
            return QueryPrinter.scalar(this);
        }
    }

    /** {@code (pipeline | aggregate)}. */
    record PipelineAggregate(Pipeline pipeline, Aggregate aggregate) implements ScalarExpr {
        @Override
        public String toString() {
            return QueryPrinter.scalar(this);
        }
    }
}
