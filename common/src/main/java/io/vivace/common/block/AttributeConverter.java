package io.vivace.common.block;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.schema.GroupType;

/**
 * Rebuilds one OTLP attribute from an element of an {@code Attrs} list (the reverse of the writer's mapping):
 * {@code ValueUnsupported} holds protobuf-JSON; otherwise {@code IsArray} says array or scalar and the one
 * non-empty value list holds the values. A scalar with no value at all is an empty {@code AnyValue}.
 */
final class AttributeConverter extends Converters.Struct {

    private static final JsonFormat.Parser JSON = JsonFormat.parser();

    /** The converter for a whole {@code Attrs} LIST field of {@code parent}, handing each attribute to {@code sink}. */
    static GroupConverter listOf(GroupType parent, Consumer<KeyValue> sink) {
        return Converters.list(new AttributeConverter(Converters.elementOf(parent, "Attrs"), sink));
    }

    private final Consumer<KeyValue> sink;
    private String key;
    private boolean isArray;
    private String unsupported;
    private final List<String> strings = new ArrayList<>();
    private long[] ints = new long[4];
    private int intCount;
    private double[] doubles = new double[4];
    private int doubleCount;
    private boolean[] bools = new boolean[4];
    private int boolCount;

    private AttributeConverter(GroupType type, Consumer<KeyValue> sink) {
        this.sink = sink;
        bind(type, name -> switch (name) {
            case "Key" -> new Converters.Strings(s -> key = s);
            case "IsArray" -> new Converters.Booleans(b -> isArray = b);
            case "Value" -> Converters.list(new Converters.Strings(strings::add));
            case "ValueInt" -> Converters.list(new Converters.Longs(this::addInt));
            case "ValueDouble" -> Converters.list(new Converters.Doubles(this::addDouble));
            case "ValueBool" -> Converters.list(new Converters.Booleans(this::addBool));
            case "ValueUnsupported" -> new Converters.Strings(s -> unsupported = s);
            default -> null;
        });
    }

    @Override
    public void start() {
        key = "";
        isArray = false;
        unsupported = null;
        strings.clear();
        intCount = 0;
        doubleCount = 0;
        boolCount = 0;
    }

    @Override
    public void end() {
        sink.accept(KeyValue.newBuilder().setKey(key).setValue(value()).build());
    }

    private AnyValue value() {
        if (unsupported != null) {
            AnyValue.Builder value = AnyValue.newBuilder();
            try {
                JSON.merge(unsupported, value);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("attribute " + key + " has an unreadable ValueUnsupported: " + e.getMessage(), e);
            }
            return value.build();
        }
        if (isArray) {
            ArrayValue.Builder array = ArrayValue.newBuilder();
            for (String s : strings) {
                array.addValues(AnyValue.newBuilder().setStringValue(s));
            }
            for (int i = 0; i < intCount; i++) {
                array.addValues(AnyValue.newBuilder().setIntValue(ints[i]));
            }
            for (int i = 0; i < doubleCount; i++) {
                array.addValues(AnyValue.newBuilder().setDoubleValue(doubles[i]));
            }
            for (int i = 0; i < boolCount; i++) {
                array.addValues(AnyValue.newBuilder().setBoolValue(bools[i]));
            }
            return AnyValue.newBuilder().setArrayValue(array).build();
        }
        if (!strings.isEmpty()) {
            return AnyValue.newBuilder().setStringValue(strings.get(0)).build();
        }
        if (intCount > 0) {
            return AnyValue.newBuilder().setIntValue(ints[0]).build();
        }
        if (doubleCount > 0) {
            return AnyValue.newBuilder().setDoubleValue(doubles[0]).build();
        }
        if (boolCount > 0) {
            return AnyValue.newBuilder().setBoolValue(bools[0]).build();
        }
        return AnyValue.getDefaultInstance();
    }

    private void addInt(long v) {
        if (intCount == ints.length) {
            ints = Arrays.copyOf(ints, intCount * 2);
        }
        ints[intCount++] = v;
    }

    private void addDouble(double v) {
        if (doubleCount == doubles.length) {
            doubles = Arrays.copyOf(doubles, doubleCount * 2);
        }
        doubles[doubleCount++] = v;
    }

    private void addBool(boolean v) {
        if (boolCount == bools.length) {
            bools = Arrays.copyOf(bools, boolCount * 2);
        }
        bools[boolCount++] = v;
    }
}
