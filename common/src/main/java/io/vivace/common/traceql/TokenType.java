package io.vivace.common.traceql;

/** Lexical classes of TraceQL. Keywords are {@link #IDENT} tokens; the parser interprets their text. */
enum TokenType {
    EOF("end of query"),
    IDENT("identifier"),
    STRING("string"),
    INT("integer"),
    FLOAT("float"),
    DURATION("duration"),
    /** {@code .foo}, {@code span.foo}, {@code resource."a b"} ...; the value is an {@link Attribute}. */
    ATTRIBUTE("attribute"),
    /** {@code span:id}, {@code trace:duration} ...; the value is an {@link Attribute}. */
    SCOPED_INTRINSIC("intrinsic"),
    LBRACE("'{'"),
    RBRACE("'}'"),
    LPAREN("'('"),
    RPAREN("')'"),
    COMMA("','"),
    EQ("'='"),
    NEQ("'!='"),
    REGEX("'=~'"),
    NOT_TILDE("'!~'"),
    GT("'>'"),
    GTE("'>='"),
    LT("'<'"),
    LTE("'<='"),
    PLUS("'+'"),
    MINUS("'-'"),
    STAR("'*'"),
    SLASH("'/'"),
    PERCENT("'%'"),
    CARET("'^'"),
    AND("'&&'"),
    OR("'||'"),
    NOT("'!'"),
    PIPE("'|'"),
    TILDE("'~'"),
    DESCENDANT("'>>'"),
    ANCESTOR("'<<'"),
    NOT_CHILD("'!>'"),
    NOT_PARENT("'!<'"),
    NOT_DESCENDANT("'!>>'"),
    NOT_ANCESTOR("'!<<'"),
    UNION_CHILD("'&>'"),
    UNION_PARENT("'&<'"),
    UNION_DESCENDANT("'&>>'"),
    UNION_ANCESTOR("'&<<'"),
    UNION_SIBLING("'&~'");

    private final String description;

    TokenType(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }
}
