package io.vivace.common.query;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vivace.common.traceql.Value;
import io.vivace.common.traceql.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** OTLP attribute values as TraceQL values: scalars map directly, homogeneous arrays become typed arrays. */
public final class OtlpValues {

    private OtlpValues() {
    }

    public static Value of(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> Value.of(v.getStringValue());
            case INT_VALUE -> Value.of(v.getIntValue());
            case DOUBLE_VALUE -> Value.of(v.getDoubleValue());
            case BOOL_VALUE -> Value.of(v.getBoolValue());
            case ARRAY_VALUE -> array(v.getArrayValue().getValuesList());
            default -> Value.NIL; // maps, bytes and unset values are not queryable
        };
    }

    /** Key to value, the first occurrence of a key winning, as attribute lookups read it. */
    public static Map<String, Value> map(List<KeyValue> attributes) {
        Map<String, Value> out = HashMap.newHashMap(attributes.size());
        for (KeyValue kv : attributes) {
            out.putIfAbsent(kv.getKey(), of(kv.getValue()));
        }
        return out;
    }

    private static Value array(List<AnyValue> values) {
        if (values.isEmpty()) {
            return Value.NIL;
        }
        AnyValue.ValueCase kind = values.getFirst().getValueCase();
        ValueType type = switch (kind) {
            case STRING_VALUE -> ValueType.STRING;
            case INT_VALUE -> ValueType.INT;
            case DOUBLE_VALUE -> ValueType.FLOAT;
            case BOOL_VALUE -> ValueType.BOOL;
            default -> null;
        };
        if (type == null) {
            return Value.NIL;
        }
        List<Value> elements = new ArrayList<>(values.size());
        for (AnyValue element : values) {
            if (element.getValueCase() != kind) {
                return Value.NIL; // mixed arrays are not queryable
            }
            elements.add(of(element));
        }
        return Value.array(type, elements);
    }
}
