package io.vivace.common.traceql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LexerTest {

    private static List<TokenType> types(String query) throws TraceQLParseException {
        return new Lexer(query).tokenize().stream().map(Token::type).toList();
    }

    @Test
    void operatorsUseLongestMatch() throws TraceQLParseException {
        assertEquals(List.of(TokenType.NOT_DESCENDANT, TokenType.NOT_CHILD, TokenType.NOT_ANCESTOR, TokenType.NOT_PARENT,
                TokenType.NOT_TILDE, TokenType.NEQ, TokenType.NOT, TokenType.UNION_DESCENDANT, TokenType.UNION_CHILD,
                TokenType.UNION_ANCESTOR, TokenType.UNION_PARENT, TokenType.UNION_SIBLING, TokenType.AND,
                TokenType.OR, TokenType.PIPE, TokenType.DESCENDANT, TokenType.GTE, TokenType.GT, TokenType.ANCESTOR,
                TokenType.LTE, TokenType.LT, TokenType.REGEX, TokenType.EQ, TokenType.TILDE, TokenType.EOF),
                types("!>> !> !<< !< !~ != ! &>> &> &<< &< &~ && || | >> >= > << <= < =~ = ~"));
    }

    @Test
    void adjacentTokensWithoutSpaces() throws TraceQLParseException {
        assertEquals(List.of(TokenType.LBRACE, TokenType.ATTRIBUTE, TokenType.NEQ, TokenType.INT, TokenType.AND,
                TokenType.ATTRIBUTE, TokenType.REGEX, TokenType.STRING, TokenType.RBRACE, TokenType.EOF),
                types("{.attr!=1&&.b=~\"x\"}"));
    }

    @Test
    void loneAmpersandIsAnError() {
        assertThrows(TraceQLParseException.class, () -> new Lexer("{ .a } & { .b }").tokenize());
    }

    @Test
    void scopePrefixesNeedTheirSeparator() throws TraceQLParseException {
        assertEquals(List.of(TokenType.IDENT, TokenType.ATTRIBUTE, TokenType.EOF), types("span .foo"));
        assertEquals(List.of(TokenType.SCOPED_INTRINSIC, TokenType.EOF), types("span:id"));
        assertEquals(List.of(TokenType.IDENT, TokenType.EOF), types("parentID"));
        assertThrows(TraceQLParseException.class, () -> new Lexer("parent:id").tokenize());
        assertThrows(TraceQLParseException.class, () -> new Lexer(":duration").tokenize());
    }

    @Test
    void numberFollowedByLettersThatAreNoDurationStaysANumber() throws TraceQLParseException {
        List<Token> tokens = new Lexer("1.5d 2h").tokenize();
        assertEquals(TokenType.FLOAT, tokens.get(0).type());
        assertEquals(TokenType.IDENT, tokens.get(1).type());
        assertEquals(TokenType.DURATION, tokens.get(2).type());
        assertEquals(7_200_000_000_000L, tokens.get(2).value());
    }

    @Test
    void deepNestingIsRefusedCleanly() {
        String deep = "{ " + "(".repeat(20_000) + ".a = 1" + ")".repeat(20_000) + " }";
        assertEquals(TraceQLParseException.Kind.SYNTAX, Queries.parseError(deep).kind());
    }
}
