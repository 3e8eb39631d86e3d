package io.vivace.common.traceql;

/**
 * Operators between spansets (and between parenthesised pipelines): the logical {@code && ||} and the structural
 * operators with their negated ({@code !}) and union ({@code &}) forms.
 */
public enum SpansetOp {
    AND("&&", null, Mode.LOGICAL),
    OR("||", null, Mode.LOGICAL),
    CHILD(">", Relation.CHILD, Mode.PLAIN),
    PARENT("<", Relation.PARENT, Mode.PLAIN),
    DESCENDANT(">>", Relation.DESCENDANT, Mode.PLAIN),
    ANCESTOR("<<", Relation.ANCESTOR, Mode.PLAIN),
    SIBLING("~", Relation.SIBLING, Mode.PLAIN),
    NOT_CHILD("!>", Relation.CHILD, Mode.NEGATED),
    NOT_PARENT("!<", Relation.PARENT, Mode.NEGATED),
    NOT_DESCENDANT("!>>", Relation.DESCENDANT, Mode.NEGATED),
    NOT_ANCESTOR("!<<", Relation.ANCESTOR, Mode.NEGATED),
    NOT_SIBLING("!~", Relation.SIBLING, Mode.NEGATED),
    UNION_CHILD("&>", Relation.CHILD, Mode.UNION),
    UNION_PARENT("&<", Relation.PARENT, Mode.UNION),
    UNION_DESCENDANT("&>>", Relation.DESCENDANT, Mode.UNION),
    UNION_ANCESTOR("&<<", Relation.ANCESTOR, Mode.UNION),
    UNION_SIBLING("&~", Relation.SIBLING, Mode.UNION);

    /** How a right-hand span r must relate to some left-hand span l for {@code L op R} to return r. */
    public enum Relation {
        /** r is a direct child of l. */
        CHILD,
        /** r is the direct parent of l. */
        PARENT,
        /** r is below l. */
        DESCENDANT,
        /** r is above l. */
        ANCESTOR,
        /** r and l share a parent and are different spans. */
        SIBLING;

        /** The relation seen from the other side (r child of l ⇔ l parent of r). */
        public Relation reversed() {
            return switch (this) {
                case CHILD -> PARENT;
                case PARENT -> CHILD;
                case DESCENDANT -> ANCESTOR;
                case ANCESTOR -> DESCENDANT;
                case SIBLING -> SIBLING;
            };
        }
    }

    public enum Mode {
        LOGICAL,
        /** Right-hand spans having the relation with some left-hand span. */
        PLAIN,
        /** Right-hand spans having the relation with no left-hand span. */
        NEGATED,
        /** Both sides' spans taking part in at least one relation. */
        UNION
    }

    private final String symbol;
    private final Relation relation;
    private final Mode mode;

    SpansetOp(String symbol, Relation relation, Mode mode) {
        this.symbol = symbol;
        this.relation = relation;
        this.mode = mode;
    }

    public String symbol() {
        return symbol;
    }

    /** The structural relation; null for {@code &&} and {@code ||}. */
    public Relation relation() {
        return relation;
    }

    public Mode mode() {
        return mode;
    }

    public boolean isStructural() {
        return mode != Mode.LOGICAL;
    }

    /** Binding strength (§1.3): {@code && ||} 2, structural 3. */
    public int precedence() {
        return isStructural() ? 3 : 2;
    }
}
