package io.vivace.common.traceql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser for the grammar of reference §1.2 with the precedence of §1.3 (precedence climbing for
 * the binary operators): queries, pipelines, scalar filters, metrics stages and hints here, field expressions in
 * {@link FieldParser}. It only builds the AST and records positions; types are checked by {@link Validator}.
 *
 * <p>The pipeline level is where TraceQL is ambiguous: a {@code (} may open a parenthesised spanset expression,
 * a scalar expression ({@code (count()) > 1}), a whole pipeline ({@code ({a} | count() > 1) && (...)}) or an
 * aggregated pipeline ({@code ({a} | count()) + ...}). The parser tries the scalar reading first and backtracks,
 * then classifies what the parentheses held ({@link Item}) and checks that only compatible kinds are combined.
 */
final class Parser {

    private static final Set<String> METRICS_FUNCTIONS = Set.of("rate", "count_over_time", "min_over_time",
            "max_over_time", "avg_over_time", "sum_over_time", "quantile_over_time", "histogram_over_time", "compare");

    private final TokenCursor in;
    private final SourceMap positions;
    private final FieldParser fields;

    private Parser(List<Token> tokens) {
        this.in = new TokenCursor(tokens);
        this.positions = in.positions();
        this.fields = new FieldParser(in);
    }

    /** Parses without validating; the source map locates the nodes of the returned query. */
    static Parsed parse(String text) throws TraceQLParseException {
        Parser parser = new Parser(new Lexer(text).tokenize());
        TraceQLQuery query = parser.query(text);
        return new Parsed(query, parser.positions);
    }

    record Parsed(TraceQLQuery query, SourceMap positions) {
    }

    /** What a pipeline-level construct turned out to be. */
    private sealed interface Item {
        /** A pipeline stage: a spanset expression, scalar filter, by, coalesce or select. */
        record Stage(PipelineElement element) implements Item {
        }

        /** Parenthesised pipeline(s), possibly combined with spanset operators. */
        record Wrapped(SpansetExpr expr) implements Item {
        }

        /** {@code (pipeline | aggregate)}, possibly in arithmetic. */
        record Aggregated(ScalarExpr expr) implements Item {
        }

        /** {@code (P | aggregate) op ...}: a complete (unsupported) root. */
        record ComparedAggregates(ScalarFilter filter) implements Item {
        }
    }

    /** The content of a pipeline: its stages, and what ended it. */
    private sealed interface Sequence {
        record Stages(List<PipelineElement> elements) implements Sequence {
        }

        /** A standalone wrapped, aggregated or compared item (no {@code |} may follow). */
        record Standalone(Item item) implements Sequence {
        }

        /** Stages then {@code | aggregate} right before a closing parenthesis. */
        record EndsInAggregate(List<PipelineElement> elements, ScalarExpr.Aggregate aggregate) implements Sequence {
        }

        record Metrics(List<PipelineElement> elements, MetricsFunction function, List<MetricsSecondStage> stages)
                implements Sequence {
        }
    }

    // ---------------------------------------------------------------- query and root

    private TraceQLQuery query(String text) throws TraceQLParseException {
        if (in.peek().is(TokenType.EOF)) {
            throw TraceQLParseException.syntax(in.peek().position(), "empty query");
        }
        RootExpr root = root();
        Map<String, Value> hints = new LinkedHashMap<>();
        while (in.peek().isWord("with")) {
            hints(hints);
        }
        if (!in.peek().is(TokenType.EOF)) {
            throw TokenCursor.unexpected(in.peek(), in.peek().is(TokenType.PIPE) ? "end of query (this stage cannot follow here)"
                    : "end of query");
        }
        return new TraceQLQuery(text, root, new Hints(hints));
    }

    private RootExpr root() throws TraceQLParseException {
        Position at = in.peek().position();
        return switch (sequence(false)) {
            case Sequence.Stages s -> positions.put(new RootExpr.Search(pipeline(s.elements(), at)), at);
            case Sequence.Metrics m -> positions.put(
                    new RootExpr.Metrics(pipeline(m.elements(), at), m.function(), m.stages()), at);
            case Sequence.Standalone s -> switch (s.item()) {
                case Item.Wrapped w -> positions.put(new RootExpr.Search(w.expr()), at);
                case Item.ComparedAggregates c -> positions.put(new RootExpr.ScalarPipeline(c.filter()), at);
                default -> throw TraceQLParseException.syntax(at, "expected a spanset pipeline");
            };
            case Sequence.EndsInAggregate e -> throw TraceQLParseException.syntax(at, "unexpected aggregate");
        };
    }

    private Pipeline pipeline(List<PipelineElement> elements, Position at) {
        return positions.put(new Pipeline(elements), at);
    }

    private void hints(Map<String, Value> hints) throws TraceQLParseException {
        in.next();
        in.expect(TokenType.LPAREN, "'(' after with");
        do {
            Token name = in.expect(TokenType.IDENT, "a hint name");
            in.expect(TokenType.EQ, "'=' after the hint name");
            hints.put(name.text(), fields.literalValue("a hint value"));
        } while (in.accept(TokenType.COMMA));
        in.expect(TokenType.RPAREN, "',' or ')'");
    }

    // ---------------------------------------------------------------- pipelines

    private Sequence sequence(boolean inParens) throws TraceQLParseException {
        Item first = element(true, inParens);
        if (!(first instanceof Item.Stage(PipelineElement head))) {
            return new Sequence.Standalone(first);
        }
        List<PipelineElement> elements = new ArrayList<>();
        elements.add(head);
        while (in.peek().is(TokenType.PIPE)) {
            in.next();
            Token t = in.peek();
            if (!inParens && t.is(TokenType.IDENT) && METRICS_FUNCTIONS.contains(t.text())) {
                MetricsFunction function = metricsFunction();
                return new Sequence.Metrics(elements, function, secondStages());
            }
            if (inParens && isAggregateStart(t)) {
                ScalarExpr lhs = scalar(0);
                if (in.peek().is(TokenType.RPAREN) && lhs instanceof ScalarExpr.Aggregate aggregate) {
                    return new Sequence.EndsInAggregate(elements, aggregate);
                }
                elements.add(finishScalarFilter(lhs, t.position()));
                continue;
            }
            Item stage = element(false, inParens);
            if (!(stage instanceof Item.Stage(PipelineElement element))) {
                throw TraceQLParseException.syntax(t.position(),
                        "a parenthesised pipeline cannot be a pipeline stage; only spanset expressions, "
                                + "aggregate comparisons, by(), coalesce() and select() can follow '|'");
            }
            elements.add(element);
        }
        return new Sequence.Stages(elements);
    }

    private Item element(boolean first, boolean inParens) throws TraceQLParseException {
        Token t = in.peek();
        if (t.isWord("by") && in.peek(1).is(TokenType.LPAREN)) {
            return new Item.Stage(groupBy());
        }
        if (t.isWord("select") && in.peek(1).is(TokenType.LPAREN)) {
            return new Item.Stage(select());
        }
        if (t.isWord("coalesce") && in.peek(1).is(TokenType.LPAREN)) {
            if (first) {
                throw TraceQLParseException.syntax(t.position(), "coalesce() cannot start a pipeline");
            }
            in.next();
            in.next();
            in.expect(TokenType.RPAREN, "')' (coalesce takes no arguments)");
            return new Item.Stage(positions.put(new Coalesce(), t.position()));
        }
        if (t.isWord("topk") || t.isWord("bottomk")) {
            throw TraceQLParseException.syntax(t.position(),
                    t.text() + "() can only follow a metrics function such as rate()");
        }
        if (isAggregateStart(t) || t.is(TokenType.INT) || t.is(TokenType.FLOAT) || t.is(TokenType.DURATION)
                || t.is(TokenType.MINUS)) {
            return new Item.Stage(scalarFilter());
        }
        if (t.is(TokenType.LPAREN)) {
            int start = in.mark();
            try {
                return new Item.Stage(scalarFilter());
            } catch (TraceQLParseException asScalar) {
                in.reset(start);
                try {
                    return spansetLevel(0, inParens);
                } catch (TraceQLParseException asSpanset) {
                    throw further(asScalar, asSpanset);
                }
            }
        }
        if (t.is(TokenType.LBRACE)) {
            return spansetLevel(0, inParens);
        }
        throw TokenCursor.unexpected(t, "a spanset filter '{ ... }', '(' or a pipeline stage");
    }

    private static TraceQLParseException further(TraceQLParseException a, TraceQLParseException b) {
        Position pa = a.position();
        Position pb = b.position();
        boolean aFurther = pa.line() > pb.line() || (pa.line() == pb.line() && pa.column() > pb.column());
        return aFurther ? a : b;
    }

    /** Spanset operators over operands, climbing precedence (both levels are left-associative). */
    private Item spansetLevel(int minPrecedence, boolean inParens) throws TraceQLParseException {
        Item left = spansetOperand();
        if (left instanceof Item.Aggregated aggregated) {
            return afterAggregated(aggregated, inParens);
        }
        while (true) {
            Token t = in.peek();
            SpansetOp op = spansetOp(t);
            if (op == null || op.precedence() < minPrecedence) {
                return left;
            }
            in.next();
            Item right = spansetLevel(op.precedence() + 1, inParens);
            left = combine(op, left, right, t.position());
        }
    }

    private Item combine(SpansetOp op, Item left, Item right, Position at) throws TraceQLParseException {
        if (left instanceof Item.Stage(SpansetExpr l) && right instanceof Item.Stage(SpansetExpr r)) {
            return new Item.Stage(positions.put(new SpansetOperation(op, l, r), at));
        }
        if (left instanceof Item.Wrapped(SpansetExpr l) && right instanceof Item.Wrapped(SpansetExpr r)) {
            return new Item.Wrapped(positions.put(new SpansetOperation(op, l, r), at));
        }
        if (left instanceof Item.Aggregated || right instanceof Item.Aggregated
                || left instanceof Item.ComparedAggregates || right instanceof Item.ComparedAggregates) {
            throw TraceQLParseException.syntax(at, "'" + op.symbol()
                    + "' cannot combine an aggregated pipeline such as ({ ... } | count())");
        }
        throw TraceQLParseException.syntax(at, "'" + op.symbol() + "' cannot combine a spanset expression with a "
                + "pipeline; write both sides as parenthesised pipelines, e.g. ({ .a } | count() > 1) && "
                + "({ .b } | count() > 1)");
    }

    private Item spansetOperand() throws TraceQLParseException {
        Token t = in.peek();
        if (t.is(TokenType.LBRACE)) {
            return new Item.Stage(filter());
        }
        if (!t.is(TokenType.LPAREN)) {
            throw TokenCursor.unexpected(t, "a spanset filter '{ ... }' or '('");
        }
        in.next();
        Sequence inner = sequence(true);
        in.expect(TokenType.RPAREN, "')'");
        return switch (inner) {
            case Sequence.Stages s when s.elements().size() == 1 && s.elements().getFirst() instanceof SpansetExpr e ->
                    new Item.Stage(e);
            case Sequence.Stages s -> new Item.Wrapped(pipeline(s.elements(), t.position()));
            case Sequence.Standalone s -> s.item();
            case Sequence.EndsInAggregate e -> new Item.Aggregated(positions.put(
                    new ScalarExpr.PipelineAggregate(pipeline(e.elements(), t.position()), e.aggregate()),
                    t.position()));
            case Sequence.Metrics m -> throw TraceQLParseException.syntax(t.position(),
                    "metrics functions cannot be used inside parentheses");
        };
    }

    /** After {@code (P | aggregate)}: arithmetic with more of those, then (at the top level) a comparison. */
    private Item afterAggregated(Item.Aggregated first, boolean inParens) throws TraceQLParseException {
        ScalarExpr lhs = climbScalar(first.expr(), 0, true);
        Token t = in.peek();
        Operator op = FieldParser.comparison(t);
        if (op == null) {
            if (inParens) {
                return new Item.Aggregated(lhs);
            }
            throw TokenCursor.unexpected(t, "a comparison after the aggregated pipeline");
        }
        if (inParens) {
            throw TraceQLParseException.syntax(t.position(),
                    "a comparison of aggregated pipelines must be the whole query");
        }
        in.next();
        ScalarExpr rhs;
        if (in.peek().is(TokenType.LPAREN)) {
            rhs = climbScalar(aggregatedOperand(), 0, true);
        } else {
            Token literal = in.peek();
            rhs = positions.put(new ScalarExpr.Literal(fields.literalValue("a value")), literal.position());
        }
        return new Item.ComparedAggregates(positions.put(new ScalarFilter(op, lhs, rhs), t.position()));
    }

    private ScalarExpr aggregatedOperand() throws TraceQLParseException {
        Token t = in.peek();
        if (spansetOperand() instanceof Item.Aggregated a) {
            return a.expr();
        }
        throw TraceQLParseException.syntax(t.position(), "expected an aggregated pipeline such as ({ ... } | count())");
    }

    private GroupBy groupBy() throws TraceQLParseException {
        Token by = in.next();
        in.next();
        FieldExpr expr = fields.fieldExpr(0);
        fields.requireNotNil(expr);
        in.expect(TokenType.RPAREN, "')' (by takes one expression)");
        return positions.put(new GroupBy(expr), by.position());
    }

    private Select select() throws TraceQLParseException {
        Token select = in.next();
        in.next();
        List<Attribute> attributes = new ArrayList<>();
        do {
            attributes.add(fields.attribute());
        } while (in.accept(TokenType.COMMA));
        in.expect(TokenType.RPAREN, "',' or ')'");
        return positions.put(new Select(attributes), select.position());
    }

    private SpansetFilter filter() throws TraceQLParseException {
        Token open = in.next();
        if (in.accept(TokenType.RBRACE)) {
            return positions.put(new SpansetFilter(positions.put(new FieldExpr.Literal(Value.TRUE), open.position())),
                    open.position());
        }
        FieldExpr expr = fields.fieldExpr(0);
        fields.requireNotNil(expr);
        in.expect(TokenType.RBRACE, "an operator or '}'");
        return positions.put(new SpansetFilter(expr), open.position());
    }

    // ---------------------------------------------------------------- scalar filters

    private ScalarFilter scalarFilter() throws TraceQLParseException {
        Token start = in.peek();
        return finishScalarFilter(scalar(0), start.position());
    }

    private ScalarFilter finishScalarFilter(ScalarExpr lhs, Position at) throws TraceQLParseException {
        Token t = in.peek();
        Operator op = FieldParser.comparison(t);
        if (op == null) {
            throw TokenCursor.unexpected(t, "a comparison operator (= != < <= > >=) after " + lhs);
        }
        in.next();
        ScalarExpr rhs = scalar(0);
        return positions.put(new ScalarFilter(op, lhs, rhs), at);
    }

    private ScalarExpr scalar(int minPrecedence) throws TraceQLParseException {
        return climbScalar(scalarPrimary(), minPrecedence, false);
    }

    /** Precedence climbing over {@code + - * / % ^}; operands are scalars or, in aggregated mode, pipelines. */
    private ScalarExpr climbScalar(ScalarExpr lhs, int minPrecedence, boolean aggregated)
            throws TraceQLParseException {
        Operator op = FieldParser.arithmetic(in.peek());
        while (op != null && op.precedence() >= minPrecedence) {
            Token opToken = in.next();
            ScalarExpr rhs = aggregated ? aggregatedOperand() : scalarPrimary();
            Operator next = FieldParser.arithmetic(in.peek());
            while (next != null && (next.precedence() > op.precedence()
                    || (next.isRightAssociative() && next.precedence() == op.precedence()))) {
                rhs = climbScalar(rhs, next.precedence() > op.precedence() ? op.precedence() + 1 : op.precedence(),
                        aggregated);
                next = FieldParser.arithmetic(in.peek());
            }
            lhs = positions.put(new ScalarExpr.Arithmetic(op, lhs, rhs), opToken.position());
            op = FieldParser.arithmetic(in.peek());
        }
        return lhs;
    }

    private ScalarExpr scalarPrimary() throws TraceQLParseException {
        Token t = in.peek();
        if (isAggregateStart(t)) {
            return aggregate();
        }
        switch (t.type()) {
            case MINUS -> {
                in.next();
                Token number = in.peek();
                if (!FieldParser.isNumber(number)) {
                    throw TokenCursor.unexpected(number, "a number after '-'");
                }
                in.next();
                return positions.put(new ScalarExpr.Literal(FieldParser.negate(FieldParser.tokenValue(number))), t.position());
            }
            case INT, FLOAT, DURATION -> {
                in.next();
                return positions.put(new ScalarExpr.Literal(FieldParser.tokenValue(t)), t.position());
            }
            case LPAREN -> {
                in.next();
                ScalarExpr inner = scalar(0);
                in.expect(TokenType.RPAREN, "')'");
                return inner;
            }
            default -> throw TokenCursor.unexpected(t, "an aggregate (count(), avg(...), min(...), max(...), sum(...)) or a number");
        }
    }

    private ScalarExpr.Aggregate aggregate() throws TraceQLParseException {
        Token name = in.next();
        AggregateFunction function = AggregateFunction.fromKeyword(name.text());
        in.expect(TokenType.LPAREN, "'('");
        if (function == AggregateFunction.COUNT) {
            in.expect(TokenType.RPAREN, "')' (count takes no arguments)");
            return positions.put(new ScalarExpr.Aggregate(function, null), name.position());
        }
        FieldExpr argument = fields.fieldExpr(0);
        fields.requireNotNil(argument);
        in.expect(TokenType.RPAREN, "')'");
        return positions.put(new ScalarExpr.Aggregate(function, argument), name.position());
    }

    /** {@code t} (the next token) starts {@code count(}, {@code avg(} .... */
    private boolean isAggregateStart(Token t) {
        return t.is(TokenType.IDENT) && AggregateFunction.fromKeyword(t.text()) != null
                && in.peek(1).is(TokenType.LPAREN);
    }

    // ---------------------------------------------------------------- metrics

    private MetricsFunction metricsFunction() throws TraceQLParseException {
        Token name = in.next();
        in.expect(TokenType.LPAREN, "'('");
        MetricsFunction function = switch (name.text()) {
            case "rate" -> {
                in.expect(TokenType.RPAREN, "')' (rate takes no arguments)");
                yield new MetricsFunction.Rate(byList());
            }
            case "count_over_time" -> {
                in.expect(TokenType.RPAREN, "')' (count_over_time takes no arguments)");
                yield new MetricsFunction.CountOverTime(byList());
            }
            case "quantile_over_time" -> {
                Attribute attribute = fields.attribute();
                List<Double> quantiles = new ArrayList<>();
                in.expect(TokenType.COMMA, "',' and at least one quantile");
                do {
                    Token q = in.peek();
                    if (!q.is(TokenType.INT) && !q.is(TokenType.FLOAT)) {
                        throw TokenCursor.unexpected(q, "a quantile between 0 and 1");
                    }
                    in.next();
                    quantiles.add(((Number) q.value()).doubleValue());
                } while (in.accept(TokenType.COMMA));
                in.expect(TokenType.RPAREN, "',' or ')'");
                yield new MetricsFunction.QuantileOverTime(attribute, quantiles, byList());
            }
            case "histogram_over_time" -> {
                Attribute attribute = fields.attribute();
                in.expect(TokenType.RPAREN, "')'");
                yield new MetricsFunction.HistogramOverTime(attribute, byList());
            }
            case "compare" -> compare();
            default -> {
                AggregateFunction aggregate =
                        AggregateFunction.fromKeyword(name.text().substring(0, name.text().indexOf('_')));
                Attribute attribute = fields.attribute();
                in.expect(TokenType.RPAREN, "')'");
                yield new MetricsFunction.OverTime(aggregate, attribute, byList());
            }
        };
        return positions.put(function, name.position());
    }

    private MetricsFunction.Compare compare() throws TraceQLParseException {
        if (!in.peek().is(TokenType.LBRACE)) {
            throw TokenCursor.unexpected(in.peek(), "a spanset filter '{ ... }'");
        }
        SpansetFilter filter = filter();
        int topN = 10;
        long start = 0;
        long end = 0;
        if (in.accept(TokenType.COMMA)) {
            topN = (int) Math.min(Integer.MAX_VALUE, integer("the number of top values"));
            if (in.accept(TokenType.COMMA)) {
                start = integer("the selection start (unix nanoseconds)");
                in.expect(TokenType.COMMA, "',' and the selection end (compare takes 1, 2 or 4 arguments)");
                end = integer("the selection end (unix nanoseconds)");
            }
        }
        in.expect(TokenType.RPAREN, "')'");
        return new MetricsFunction.Compare(filter, topN, start, end);
    }

    private long integer(String what) throws TraceQLParseException {
        Token t = in.peek();
        if (!t.is(TokenType.INT)) {
            throw TokenCursor.unexpected(t, what);
        }
        in.next();
        return (Long) t.value();
    }

    private List<Attribute> byList() throws TraceQLParseException {
        if (!(in.peek().isWord("by") && in.peek(1).is(TokenType.LPAREN))) {
            return List.of();
        }
        in.next();
        in.next();
        List<Attribute> by = new ArrayList<>();
        do {
            by.add(fields.attribute());
        } while (in.accept(TokenType.COMMA));
        in.expect(TokenType.RPAREN, "',' or ')'");
        return by;
    }

    private List<MetricsSecondStage> secondStages() throws TraceQLParseException {
        List<MetricsSecondStage> stages = new ArrayList<>();
        while (true) {
            Token t = in.peek();
            if (t.is(TokenType.PIPE) && (in.peek(1).isWord("topk") || in.peek(1).isWord("bottomk"))) {
                in.next();
                Token name = in.next();
                in.expect(TokenType.LPAREN, "'('");
                long k = integer("a positive integer");
                in.expect(TokenType.RPAREN, "')'");
                stages.add(positions.put(new MetricsSecondStage.TopK(name.text().equals("bottomk"),
                        (int) Math.min(Integer.MAX_VALUE, k)), name.position()));
            } else if (FieldParser.comparison(t) != null) {
                in.next();
                boolean negative = in.accept(TokenType.MINUS);
                Token number = in.peek();
                if (!FieldParser.isNumber(number)) {
                    throw TokenCursor.unexpected(number, "a number or duration to compare the series with");
                }
                in.next();
                double value = switch (FieldParser.tokenValue(number)) {
                    case Value.DurationValue d -> d.nanos() / 1e9;
                    case Value v -> v.asDouble();
                };
                stages.add(positions.put(new MetricsSecondStage.Filter(FieldParser.comparison(t), negative ? -value : value),
                        t.position()));
            } else {
                return stages;
            }
        }
    }

    // ---------------------------------------------------------------- operators

    private static SpansetOp spansetOp(Token t) {
        return switch (t.type()) {
            case AND -> SpansetOp.AND;
            case OR -> SpansetOp.OR;
            case GT -> SpansetOp.CHILD;
            case LT -> SpansetOp.PARENT;
            case DESCENDANT -> SpansetOp.DESCENDANT;
            case ANCESTOR -> SpansetOp.ANCESTOR;
            case TILDE -> SpansetOp.SIBLING;
            case NOT_CHILD -> SpansetOp.NOT_CHILD;
            case NOT_PARENT -> SpansetOp.NOT_PARENT;
            case NOT_DESCENDANT -> SpansetOp.NOT_DESCENDANT;
            case NOT_ANCESTOR -> SpansetOp.NOT_ANCESTOR;
            case NOT_TILDE -> SpansetOp.NOT_SIBLING;
            case UNION_CHILD -> SpansetOp.UNION_CHILD;
            case UNION_PARENT -> SpansetOp.UNION_PARENT;
            case UNION_DESCENDANT -> SpansetOp.UNION_DESCENDANT;
            case UNION_ANCESTOR -> SpansetOp.UNION_ANCESTOR;
            case UNION_SIBLING -> SpansetOp.UNION_SIBLING;
            default -> null;
        };
    }
}
