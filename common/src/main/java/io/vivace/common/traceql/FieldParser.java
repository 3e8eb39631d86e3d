package io.vivace.common.traceql;

import java.util.Set;

/**
 * Parses field expressions (the inside of {@code { ... }}), attributes and literals by precedence climbing over
 * the levels of reference §1.3. {@code nil} is only accepted as an operand of {@code =} and {@code !=}.
 */
final class FieldParser {

    /** Keywords that only name an intrinsic after a scope colon. */
    private static final Set<String> SCOPE_ONLY_INTRINSICS = Set.of("id", "traceID", "spanID", "parentID",
            "timeSinceStart", "version", "childCount", "rootService");

    private final TokenCursor in;

    FieldParser(TokenCursor in) {
        this.in = in;
    }

    FieldExpr fieldExpr(int minPrecedence) throws TraceQLParseException {
        return climbField(unary(), minPrecedence);
    }

    private FieldExpr climbField(FieldExpr lhs, int minPrecedence) throws TraceQLParseException {
        Operator op = fieldBinary(in.peek());
        while (op != null && op.precedence() >= minPrecedence) {
            Token opToken = in.next();
            FieldExpr rhs = unary();
            Operator next = fieldBinary(in.peek());
            while (next != null && (next.precedence() > op.precedence()
                    || (next.isRightAssociative() && next.precedence() == op.precedence()))) {
                rhs = climbField(rhs, next.precedence() > op.precedence() ? op.precedence() + 1 : op.precedence());
                next = fieldBinary(in.peek());
            }
            if (op != Operator.EQ && op != Operator.NEQ) {
                requireNotNil(lhs);
                requireNotNil(rhs);
            }
            lhs = in.positions().put(new FieldExpr.Binary(op, lhs, rhs), opToken.position());
            op = fieldBinary(in.peek());
        }
        return lhs;
    }

    private FieldExpr unary() throws TraceQLParseException {
        Token t = in.peek();
        Operator op = t.is(TokenType.NOT) ? Operator.NOT : t.is(TokenType.MINUS) ? Operator.NEGATE : null;
        if (op == null) {
            return primary();
        }
        in.next();
        // '!' binds tighter than '+ -' but looser than '* / % ^'; unary '-' binds like binary '-'.
        FieldExpr operand = fieldExpr(op.precedence() + 1);
        requireNotNil(operand);
        return in.positions().put(new FieldExpr.Unary(op, operand), t.position());
    }

    private FieldExpr primary() throws TraceQLParseException {
        Token t = in.peek();
        switch (t.type()) {
            case LPAREN -> {
                in.next();
                FieldExpr inner = fieldExpr(0);
                requireNotNil(inner);
                in.expect(TokenType.RPAREN, "an operator or ')'");
                return inner;
            }
            case ATTRIBUTE, SCOPED_INTRINSIC -> {
                in.next();
                return in.positions().put(copy((Attribute) t.value()), t.position());
            }
            case STRING, INT, FLOAT, DURATION -> {
                in.next();
                return in.positions().put(new FieldExpr.Literal(tokenValue(t)), t.position());
            }
            case IDENT -> {
                if (t.text().equals("nil")) {
                    in.next();
                    return in.positions().put(new FieldExpr.Literal(Value.NIL), t.position());
                }
                Value keyword = keywordValue(t.text());
                if (keyword != null) {
                    in.next();
                    return in.positions().put(new FieldExpr.Literal(keyword), t.position());
                }
                Intrinsic intrinsic = Intrinsic.unscoped(t.text());
                if (intrinsic != null) {
                    in.next();
                    return in.positions().put(Attribute.of(intrinsic), t.position());
                }
                throw identifierError(t);
            }
            default -> throw TokenCursor.unexpected(t, "a value, attribute or '('");
        }
    }

    Attribute attribute() throws TraceQLParseException {
        Token t = in.peek();
        if (t.is(TokenType.ATTRIBUTE) || t.is(TokenType.SCOPED_INTRINSIC)) {
            in.next();
            return in.positions().put(copy((Attribute) t.value()), t.position());
        }
        if (t.is(TokenType.IDENT)) {
            Intrinsic intrinsic = Intrinsic.unscoped(t.text());
            if (intrinsic != null) {
                in.next();
                return in.positions().put(Attribute.of(intrinsic), t.position());
            }
            throw identifierError(t);
        }
        throw TokenCursor.unexpected(t, "an attribute such as span.foo, .foo or duration");
    }

    /** A fresh instance, so that a token re-read after backtracking keeps a distinct node. */
    private static Attribute copy(Attribute a) {
        return new Attribute(a.scope(), a.name(), a.intrinsic(), a.parent());
    }

    private TraceQLParseException identifierError(Token t) {
        if (SCOPE_ONLY_INTRINSICS.contains(t.text())) {
            return TraceQLParseException.syntax(t.position(),
                    "'" + t.text() + "' is only an intrinsic after a scope, e.g. span:id, trace:id, span:childCount");
        }
        return TraceQLParseException.syntax(t.position(), "unknown identifier '" + t.text()
                + "' (attributes are written .name, span.name or resource.name)");
    }

    void requireNotNil(FieldExpr e) throws TraceQLParseException {
        if (FieldExpr.isNilLiteral(e)) {
            throw TraceQLParseException.syntax(in.positions().of(e), "nil can only be compared with = or !=");
        }
    }

    /** A literal in a hint or on the right of an aggregated-pipeline comparison; numbers may have a sign. */
    Value literalValue(String what) throws TraceQLParseException {
        Token t = in.peek();
        if (t.is(TokenType.MINUS)) {
            in.next();
            Token number = in.peek();
            if (!isNumber(number)) {
                throw TokenCursor.unexpected(number, "a number after '-'");
            }
            in.next();
            return negate(tokenValue(number));
        }
        if (t.is(TokenType.STRING) || isNumber(t)) {
            in.next();
            return tokenValue(t);
        }
        if (t.is(TokenType.IDENT)) {
            Value keyword = keywordValue(t.text());
            if (keyword != null) {
                in.next();
                return keyword;
            }
        }
        throw TokenCursor.unexpected(t, what);
    }

    private static Value keywordValue(String word) {
        return switch (word) {
            case "true" -> Value.TRUE;
            case "false" -> Value.FALSE;
            case "minInt" -> Value.of(Long.MIN_VALUE);
            case "maxInt" -> Value.of(Long.MAX_VALUE);
            default -> {
                StatusCode status = StatusCode.fromKeyword(word);
                if (status != null) {
                    yield Value.of(status);
                }
                SpanKind kind = SpanKind.fromKeyword(word);
                yield kind == null ? null : Value.of(kind);
            }
        };
    }

    static boolean isNumber(Token t) {
        return t.is(TokenType.INT) || t.is(TokenType.FLOAT) || t.is(TokenType.DURATION);
    }

    static Value tokenValue(Token t) {
        return switch (t.type()) {
            case STRING -> Value.of((String) t.value());
            case INT -> Value.of((long) (Long) t.value());
            case FLOAT -> Value.of((double) (Double) t.value());
            case DURATION -> Value.ofDuration((Long) t.value());
            default -> throw new IllegalStateException("not a literal token: " + t);
        };
    }

    static Value negate(Value v) {
        return switch (v) {
            case Value.IntValue i -> Value.of(-i.value());
            case Value.FloatValue f -> Value.of(-f.value());
            case Value.DurationValue d -> Value.ofDuration(-d.nanos());
            default -> v;
        };
    }

    private static Operator fieldBinary(Token t) {
        return switch (t.type()) {
            case AND -> Operator.AND;
            case OR -> Operator.OR;
            case REGEX -> Operator.REGEX;
            case NOT_TILDE -> Operator.NOT_REGEX;
            default -> {
                Operator c = comparison(t);
                yield c != null ? c : arithmetic(t);
            }
        };
    }

    static Operator comparison(Token t) {
        return switch (t.type()) {
            case EQ -> Operator.EQ;
            case NEQ -> Operator.NEQ;
            case LT -> Operator.LT;
            case LTE -> Operator.LTE;
            case GT -> Operator.GT;
            case GTE -> Operator.GTE;
            default -> null;
        };
    }

    static Operator arithmetic(Token t) {
        return switch (t.type()) {
            case PLUS -> Operator.ADD;
            case MINUS -> Operator.SUB;
            case STAR -> Operator.MUL;
            case SLASH -> Operator.DIV;
            case PERCENT -> Operator.MOD;
            case CARET -> Operator.POW;
            default -> null;
        };
    }
}
