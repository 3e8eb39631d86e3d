package io.vivace.common.block;

import com.google.protobuf.ByteString;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.Type;

/** Building blocks of the read-side converter tree: primitive sinks, structs bound by field name, LISTs. */
final class Converters {

    private Converters() {
    }

    /**
     * A group whose children are chosen by field name, so it works for any projection of the schema.
     * Fields it does not name are read and dropped.
     */
    abstract static class Struct extends GroupConverter {
        private Converter[] children;

        /** Call at the end of the subclass constructor. {@code byName} returns null for fields to skip. */
        protected final void bind(GroupType type, Function<String, Converter> byName) {
            children = new Converter[type.getFieldCount()];
            for (int i = 0; i < children.length; i++) {
                Converter child = byName.apply(type.getFieldName(i));
                children[i] = child != null ? child : ignoring(type.getType(i));
            }
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return children[fieldIndex];
        }

        @Override
        public void start() {
        }

        @Override
        public void end() {
        }
    }

    /** A 3-level LIST ({@code X { repeated list { element } }}); the element converter sees every element. */
    static GroupConverter list(Converter element) {
        GroupConverter repeated = new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return element;
            }

            @Override
            public void start() {
            }

            @Override
            public void end() {
            }
        };
        return new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return repeated;
            }

            @Override
            public void start() {
            }

            @Override
            public void end() {
            }
        };
    }

    /** The element group type of a LIST field of {@code parent}. */
    static GroupType elementOf(GroupType parent, String listField) {
        return parent.getType(listField).asGroupType().getType(0).asGroupType().getType(0).asGroupType();
    }

    static Converter ignoring(Type type) {
        if (type.isPrimitive()) {
            return new PrimitiveConverter() {
                // The default add* methods throw; a skipped column must accept anything.
                @Override
                public void addBinary(Binary value) {
                }

                @Override
                public void addBoolean(boolean value) {
                }

                @Override
                public void addDouble(double value) {
                }

                @Override
                public void addFloat(float value) {
                }

                @Override
                public void addInt(int value) {
                }

                @Override
                public void addLong(long value) {
                }
            };
        }
        GroupType group = type.asGroupType();
        Converter[] children = group.getFields().stream().map(Converters::ignoring).toArray(Converter[]::new);
        return new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return children[fieldIndex];
            }

            @Override
            public void start() {
            }

            @Override
            public void end() {
            }
        };
    }

    /**
     * UTF-8 strings. Dictionary entries are decoded once, when first used: a lookup reads one row, so decoding
     * the whole dictionary up front would cost more than the row.
     */
    static final class Strings extends PrimitiveConverter {
        private final Consumer<String> sink;
        private Dictionary dictionary;
        private String[] decoded;

        Strings(Consumer<String> sink) {
            this.sink = sink;
        }

        @Override
        public boolean hasDictionarySupport() {
            return true;
        }

        @Override
        public void setDictionary(Dictionary dictionary) {
            this.dictionary = dictionary;
            this.decoded = new String[dictionary.getMaxId() + 1];
        }

        @Override
        public void addValueFromDictionary(int id) {
            String s = decoded[id];
            if (s == null) {
                s = dictionary.decodeToBinary(id).toStringUsingUTF8();
                decoded[id] = s;
            }
            sink.accept(s);
        }

        @Override
        public void addBinary(Binary value) {
            sink.accept(value.toStringUsingUTF8());
        }
    }

    static final class Bytes extends PrimitiveConverter {
        private final Consumer<ByteString> sink;

        Bytes(Consumer<ByteString> sink) {
            this.sink = sink;
        }

        @Override
        public void addBinary(Binary value) {
            sink.accept(value.length() == 0 ? ByteString.EMPTY : ByteString.copyFrom(value.toByteBuffer()));
        }
    }

    static final class Longs extends PrimitiveConverter {
        private final LongConsumer sink;

        Longs(LongConsumer sink) {
            this.sink = sink;
        }

        @Override
        public void addLong(long value) {
            sink.accept(value);
        }
    }

    static final class Ints extends PrimitiveConverter {
        private final IntConsumer sink;

        Ints(IntConsumer sink) {
            this.sink = sink;
        }

        @Override
        public void addInt(int value) {
            sink.accept(value);
        }
    }

    static final class Doubles extends PrimitiveConverter {
        private final DoubleConsumer sink;

        Doubles(DoubleConsumer sink) {
            this.sink = sink;
        }

        @Override
        public void addDouble(double value) {
            sink.accept(value);
        }
    }

    interface BooleanSink {
        void accept(boolean value);
    }

    static final class Booleans extends PrimitiveConverter {
        private final BooleanSink sink;

        Booleans(BooleanSink sink) {
            this.sink = sink;
        }

        @Override
        public void addBoolean(boolean value) {
            sink.accept(value);
        }
    }
}
