package io.vivace.common.traceql;

import java.util.List;

/** The parser's position in the token list, and the source map it fills. */
final class TokenCursor {

    private final List<Token> tokens;
    private final SourceMap positions = new SourceMap();
    private int index;

    TokenCursor(List<Token> tokens) {
        this.tokens = tokens;
    }

    SourceMap positions() {
        return positions;
    }

    /** Where the cursor is, to come back to with {@link #reset}. */
    int mark() {
        return index;
    }

    void reset(int mark) {
        index = mark;
    }

    Token peek() {
        return tokens.get(index);
    }

    Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    Token next() {
        Token t = tokens.get(index);
        if (index < tokens.size() - 1) {
            index++;
        }
        return t;
    }

    boolean accept(TokenType type) {
        if (peek().is(type)) {
            next();
            return true;
        }
        return false;
    }

    Token expect(TokenType type, String expected) throws TraceQLParseException {
        if (!peek().is(type)) {
            throw unexpected(peek(), expected);
        }
        return next();
    }

    static TraceQLParseException unexpected(Token t, String expected) {
        return TraceQLParseException.syntax(t.position(), "unexpected " + t.describe() + ", expected " + expected);
    }
}
