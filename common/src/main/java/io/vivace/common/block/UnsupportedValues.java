package io.vivace.common.block;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.common.v1.AnyValue;

/** Attribute values kept as OTLP JSON in {@code ValueUnsupported}: those without a typed value column. */
final class UnsupportedValues {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private UnsupportedValues() {
    }

    static String print(AnyValue value) {
        try {
            return PRINTER.print(value);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("attribute value cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    static AnyValue parse(String json) {
        AnyValue.Builder value = AnyValue.newBuilder();
        try {
            PARSER.merge(json, value);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable ValueUnsupported " + json + ": " + e.getMessage(), e);
        }
        return value.build();
    }
}
