package io.vivace.common.traceql;

import java.util.Objects;

/**
 * A reference to an attribute ({@code span.foo}, {@code resource.service.name}, unscoped {@code .foo}) or to an
 * intrinsic ({@code duration}, {@code span:id}; then {@link #intrinsic()} is not {@link Intrinsic#NONE} and
 * {@link #name()} is its canonical name). {@code parent} marks the unsupported {@code parent.} prefix.
 */
public record Attribute(AttributeScope scope, String name, Intrinsic intrinsic, boolean parent) implements FieldExpr {

    public Attribute {
        Objects.requireNonNull(scope);
        Objects.requireNonNull(name);
        Objects.requireNonNull(intrinsic);
    }

    public static Attribute of(AttributeScope scope, String name) {
        return new Attribute(scope, name, Intrinsic.NONE, false);
    }

    public static Attribute span(String name) {
        return of(AttributeScope.SPAN, name);
    }

    public static Attribute resource(String name) {
        return of(AttributeScope.RESOURCE, name);
    }

    public static Attribute unscoped(String name) {
        return of(AttributeScope.NONE, name);
    }

    public static Attribute of(Intrinsic intrinsic) {
        return new Attribute(intrinsic.scope(), intrinsic.canonicalName(), intrinsic, false);
    }

    public boolean isIntrinsic() {
        return intrinsic != Intrinsic.NONE;
    }

    /** The canonical query text: {@code span.foo}, {@code .foo}, {@code resource."a b"}, {@code duration}. */
    @Override
    public String toString() {
        return QueryPrinter.attribute(this);
    }
}
