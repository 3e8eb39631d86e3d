package io.vivace.common.traceql;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Splits a query into tokens following the reference lexer (§1.1): Go-style identifiers, strings (with Go escapes,
 * or back-quoted raw), numbers and durations, comments, the operator set with longest match, and the attribute
 * mode that reads {@code .http.status_code} or {@code span."a b"} as one name.
 */
final class Lexer {

    private static final Set<String> ATTRIBUTE_PREFIXES =
            Set.of("span", "resource", "event", "link", "instrumentation", "parent");
    private static final Set<String> INTRINSIC_SCOPES = Set.of("trace", "span", "event", "link", "instrumentation");
    /** Runes that end an attribute name (besides whitespace). */
    private static final String NAME_TERMINATORS = "{}()=~!<>&|^,";

    /** Operators, longest first so that the first match is the longest. */
    private static final List<Op> OPERATORS = List.of(
            new Op("!>>", TokenType.NOT_DESCENDANT), new Op("!<<", TokenType.NOT_ANCESTOR),
            new Op("&>>", TokenType.UNION_DESCENDANT), new Op("&<<", TokenType.UNION_ANCESTOR),
            new Op("=~", TokenType.REGEX), new Op("!=", TokenType.NEQ), new Op("!~", TokenType.NOT_TILDE),
            new Op(">=", TokenType.GTE), new Op("<=", TokenType.LTE), new Op("&&", TokenType.AND),
            new Op("||", TokenType.OR), new Op(">>", TokenType.DESCENDANT), new Op("<<", TokenType.ANCESTOR),
            new Op("!>", TokenType.NOT_CHILD), new Op("!<", TokenType.NOT_PARENT), new Op("&>", TokenType.UNION_CHILD),
            new Op("&<", TokenType.UNION_PARENT), new Op("&~", TokenType.UNION_SIBLING),
            new Op("{", TokenType.LBRACE), new Op("}", TokenType.RBRACE), new Op("(", TokenType.LPAREN),
            new Op(")", TokenType.RPAREN), new Op(",", TokenType.COMMA), new Op("=", TokenType.EQ),
            new Op(">", TokenType.GT), new Op("<", TokenType.LT), new Op("+", TokenType.PLUS),
            new Op("-", TokenType.MINUS), new Op("*", TokenType.STAR), new Op("/", TokenType.SLASH),
            new Op("%", TokenType.PERCENT), new Op("^", TokenType.CARET), new Op("!", TokenType.NOT),
            new Op("|", TokenType.PIPE), new Op("~", TokenType.TILDE));

    private record Op(String text, TokenType type) {
    }

    private final int[] cp;
    private int pos;
    private int line = 1;
    private int lineStart;

    Lexer(String source) {
        this.cp = source.codePoints().toArray();
    }

    List<Token> tokenize() throws TraceQLParseException {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipWhitespaceAndComments();
            Position at = position();
            if (pos >= cp.length) {
                tokens.add(new Token(TokenType.EOF, "", at, null));
                return tokens;
            }
            tokens.add(next(at));
        }
    }

    private Token next(Position at) throws TraceQLParseException {
        int c = cp[pos];
        if (c == '"') {
            return quotedString(at);
        }
        if (c == '`') {
            return rawString(at);
        }
        if (c == '\'') {
            throw TraceQLParseException.syntax(at, "single quotes do not delimit strings; use \"...\" or `...`");
        }
        if (isDigit(c) || (c == '.' && isDigit(peek(1)))) {
            return number(at);
        }
        if (c == '.') {
            pos++;
            return attribute(at, AttributeScope.NONE, false, ".");
        }
        if (isIdentStart(c)) {
            int start = pos;
            while (pos < cp.length && isIdentPart(cp[pos])) {
                pos++;
            }
            String word = text(start, pos);
            if (peek(0) == '.' && ATTRIBUTE_PREFIXES.contains(word)) {
                pos++;
                return prefixedAttribute(at, word);
            }
            if (peek(0) == ':' && INTRINSIC_SCOPES.contains(word)) {
                pos++;
                return scopedIntrinsic(at, word);
            }
            return new Token(TokenType.IDENT, word, at, null);
        }
        for (Op op : OPERATORS) {
            if (lookingAt(op.text())) {
                pos += op.text().length();
                return new Token(op.type(), op.text(), at, null);
            }
        }
        String what = c == '&' ? "'&' (did you mean '&&'?)" : "character '" + Character.toString(c) + "'";
        throw TraceQLParseException.syntax(at, "unexpected " + what);
    }

    private Token prefixedAttribute(Position at, String prefix) throws TraceQLParseException {
        if (prefix.equals("parent")) {
            if (lookingAt("span.")) {
                pos += 5;
                return attribute(at, AttributeScope.SPAN, true, "parent.span.");
            }
            if (lookingAt("resource.")) {
                pos += 9;
                return attribute(at, AttributeScope.RESOURCE, true, "parent.resource.");
            }
            return attribute(at, AttributeScope.NONE, true, "parent.");
        }
        AttributeScope scope = switch (prefix) {
            case "span" -> AttributeScope.SPAN;
            case "resource" -> AttributeScope.RESOURCE;
            case "event" -> AttributeScope.EVENT;
            case "link" -> AttributeScope.LINK;
            default -> AttributeScope.INSTRUMENTATION;
        };
        return attribute(at, scope, false, prefix + ".");
    }

    private Token attribute(Position at, AttributeScope scope, boolean parent, String prefix)
            throws TraceQLParseException {
        int start = pos;
        String name = attributeName();
        if (name.isEmpty()) {
            throw TraceQLParseException.syntax(at, "attribute name expected after '" + prefix + "'");
        }
        return new Token(TokenType.ATTRIBUTE, prefix + text(start, pos), at,
                new Attribute(scope, name, Intrinsic.NONE, parent));
    }

    /** A maximal run of name runes; {@code "..."} segments are taken literally and concatenated. */
    private String attributeName() throws TraceQLParseException {
        StringBuilder name = new StringBuilder();
        while (pos < cp.length) {
            int c = cp[pos];
            if (Character.isWhitespace(c) || NAME_TERMINATORS.indexOf(c) >= 0) {
                break;
            }
            if (c != '"') {
                name.appendCodePoint(c);
                pos++;
                continue;
            }
            Position quoteAt = position();
            pos++;
            while (true) {
                if (pos >= cp.length) {
                    throw TraceQLParseException.syntax(quoteAt, "unterminated quoted attribute name");
                }
                int q = cp[pos++];
                if (q == '"') {
                    break;
                }
                if (q == '\\') {
                    int escaped = peek(0);
                    if (escaped != '"' && escaped != '\\') {
                        throw TraceQLParseException.syntax(position(),
                                "only \\\" and \\\\ may be escaped in a quoted attribute name");
                    }
                    pos++;
                    q = escaped;
                }
                if (q == '\n') {
                    newLine();
                }
                name.appendCodePoint(q);
            }
        }
        return name.toString();
    }

    private Token scopedIntrinsic(Position at, String scope) throws TraceQLParseException {
        while (pos < cp.length && (cp[pos] == ' ' || cp[pos] == '\t')) {
            pos++;
        }
        int start = pos;
        while (pos < cp.length && isIdentPart(cp[pos])) {
            pos++;
        }
        String word = text(start, pos);
        if (word.isEmpty()) {
            throw TraceQLParseException.syntax(at, "intrinsic name expected after '" + scope + ":'");
        }
        Intrinsic intrinsic = Intrinsic.scoped(scope, word);
        if (intrinsic == null) {
            throw TraceQLParseException.syntax(at, "unknown intrinsic '" + scope + ":" + word + "'");
        }
        return new Token(TokenType.SCOPED_INTRINSIC, scope + ":" + word, at, Attribute.of(intrinsic));
    }

    private Token number(Position at) throws TraceQLParseException {
        int start = pos;
        if (cp[pos] == '0' && "xXoObB".indexOf(peek(1)) >= 0) {
            pos += 2;
            while (pos < cp.length && Character.isLetterOrDigit(cp[pos])) {
                pos++;
            }
            throw TraceQLParseException.syntax(at, "only decimal numbers are supported: " + text(start, pos));
        }
        boolean isFloat = false;
        digits();
        if (peek(0) == '.') {
            isFloat = true;
            pos++;
            digits();
        }
        if ((peek(0) == 'e' || peek(0) == 'E')
                && (isDigit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && isDigit(peek(2))))) {
            isFloat = true;
            pos += 2;
            digits();
        }
        String number = text(start, pos);
        int end = pos;
        while (end < cp.length && DurationLiterals.isDurationChar(cp[end])) {
            end++;
        }
        if (end > pos) {
            String candidate = number + text(pos, end);
            OptionalLong nanos = DurationLiterals.parse(candidate);
            if (nanos.isPresent()) {
                pos = end;
                return new Token(TokenType.DURATION, candidate, at, nanos.getAsLong());
            }
        }
        if (isFloat) {
            return new Token(TokenType.FLOAT, number, at, Double.parseDouble(number));
        }
        try {
            return new Token(TokenType.INT, number, at, Long.parseLong(number));
        } catch (NumberFormatException e) {
            throw TraceQLParseException.syntax(at, "integer out of range: " + number);
        }
    }

    private void digits() {
        while (pos < cp.length && isDigit(cp[pos])) {
            pos++;
        }
    }

    private Token rawString(Position at) throws TraceQLParseException {
        int start = ++pos;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= cp.length) {
                throw TraceQLParseException.syntax(at, "string literal not terminated");
            }
            int c = cp[pos++];
            if (c == '`') {
                return new Token(TokenType.STRING, "`" + text(start, pos), at, value.toString());
            }
            if (c == '\n') {
                newLine();
            }
            if (c != '\r') {
                value.appendCodePoint(c);
            }
        }
    }

    private Token quotedString(Position at) throws TraceQLParseException {
        int start = pos++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= cp.length || cp[pos] == '\n') {
                throw TraceQLParseException.syntax(at, "string literal not terminated");
            }
            int c = cp[pos++];
            if (c == '"') {
                return new Token(TokenType.STRING, text(start, pos), at, value.toString());
            }
            if (c == '\\') {
                escape(value);
            } else {
                value.appendCodePoint(c);
            }
        }
    }

    /** Go's escapes in a double-quoted string; {@code pos} is just after the backslash. */
    private void escape(StringBuilder value) throws TraceQLParseException {
        Position at = new Position(line, pos - lineStart);
        int c = peek(0);
        pos++;
        switch (c) {
            case 'a' -> value.append('\u0007');
            case 'b' -> value.append('\b');
            case 'f' -> value.append('\f');
            case 'n' -> value.append('\n');
            case 'r' -> value.append('\r');
            case 't' -> value.append('\t');
            case 'v' -> value.append('\u000b');
            case '\\' -> value.append('\\');
            case '"' -> value.append('"');
            case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                pos--;
                int code = hexOrOctal(at, 3, 8);
                if (code > 255) {
                    throw TraceQLParseException.syntax(at, "octal escape value > 255");
                }
                value.append((char) code);
            }
            case 'x' -> value.append((char) hexOrOctal(at, 2, 16));
            case 'u', 'U' -> {
                int code = hexOrOctal(at, c == 'u' ? 4 : 8, 16);
                if (code > Character.MAX_CODE_POINT || (code >= 0xD800 && code < 0xE000)) {
                    throw TraceQLParseException.syntax(at, "escape sequence is invalid Unicode code point");
                }
                value.appendCodePoint(code);
            }
            default -> throw TraceQLParseException.syntax(at, "unknown escape sequence in string literal");
        }
    }

    private int hexOrOctal(Position at, int digits, int radix) throws TraceQLParseException {
        int code = 0;
        for (int i = 0; i < digits; i++) {
            int d = pos < cp.length ? Character.digit(cp[pos], radix) : -1;
            if (d < 0) {
                throw TraceQLParseException.syntax(at, "malformed escape sequence in string literal");
            }
            code = code * radix + d;
            pos++;
        }
        return code;
    }

    private void skipWhitespaceAndComments() throws TraceQLParseException {
        while (pos < cp.length) {
            int c = cp[pos];
            if (c == '\n') {
                pos++;
                newLine();
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (lookingAt("//")) {
                while (pos < cp.length && cp[pos] != '\n') {
                    pos++;
                }
            } else if (lookingAt("/*")) {
                Position at = position();
                pos += 2;
                while (!lookingAt("*/")) {
                    if (pos >= cp.length) {
                        throw TraceQLParseException.syntax(at, "comment not terminated");
                    }
                    if (cp[pos++] == '\n') {
                        newLine();
                    }
                }
                pos += 2;
            } else {
                return;
            }
        }
    }

    private void newLine() {
        line++;
        lineStart = pos;
    }

    private Position position() {
        return new Position(line, pos - lineStart + 1);
    }

    private int peek(int ahead) {
        return pos + ahead < cp.length ? cp[pos + ahead] : -1;
    }

    private boolean lookingAt(String s) {
        if (pos + s.length() > cp.length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (cp[pos + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String text(int from, int to) {
        return new String(cp, from, to - from);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(int c) {
        return c == '_' || Character.isLetter(c);
    }

    private static boolean isIdentPart(int c) {
        return c == '_' || Character.isLetter(c) || Character.isDigit(c);
    }
}
