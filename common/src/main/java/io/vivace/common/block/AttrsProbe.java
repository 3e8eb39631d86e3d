package io.vivace.common.block;

import io.vivace.common.block.parquet.ByteArrayDictionary;
import io.vivace.common.block.parquet.ColumnCursor;
import io.vivace.common.traceql.ValuePredicate;
import java.io.IOException;

/**
 * A condition on a generic attribute list ({@code Attrs} of spans or of resources): walks the key column and the four
 * typed value columns (vivace4; vivace1 to vivace3: value lists, read alike) side by side, one attribute at a time, and
 * tests the values of attributes with the wanted key. An attribute passes when some value passes ({@code !=},
 * {@code !~}: every value), and also when it has no typed value at all (a value kept as OTLP JSON — vivace4: every
 * array — or an empty array): what the scanner cannot decide, it keeps.
 */
final class AttrsProbe implements ConditionProbe {

    private final TraceColumns.Attrs attrs;
    private final boolean resourceLevel;
    private final ValuePredicate predicate;
    private final StringTest keyTest;
    private final StringTest stringValues;
    private ColumnCursor key;
    private ColumnCursor strings;
    private ColumnCursor ints;
    private ColumnCursor doubles;
    private ColumnCursor bools;
    private boolean[] resourcePass = new boolean[16];
    private int valueCount;
    private int valuesPassed;
    private final ValueTest stringPasses;
    private final ValueTest intPasses;
    private final ValueTest doublePasses;
    private final ValueTest boolPasses;

    /** @param predicate null for the existence test */
    AttrsProbe(TraceColumns.Attrs attrs, boolean resourceLevel, String name, ValuePredicate predicate) {
        this.attrs = attrs;
        this.resourceLevel = resourceLevel;
        this.predicate = predicate;
        this.keyTest = new StringTest(name::equals);
        this.stringValues = predicate == null ? null : new StringTest(predicate::testString);
        stringPasses = values -> stringValues.next(values);
        intPasses = values -> predicate.testLong(values.nextLong());
        doublePasses = values -> predicate.testDouble(values.nextDouble());
        boolPasses = values -> predicate.testBool(values.nextBoolean());
    }

    @Override
    public int[] columns() {
        return new int[] {attrs.key(), attrs.value(), attrs.valueInt(), attrs.valueDouble(), attrs.valueBool()};
    }

    @Override
    public boolean mayPass(Chunks chunks) throws IOException {
        if (!ConditionProbe.mayHoldValues(chunks.statistics(attrs.key()))) {
            return false;
        }
        ByteArrayDictionary keys = chunks.completeDictionary(attrs.key());
        return keys == null || keyTest.anyPasses(keys);
    }

    @Override
    public void start(Chunks chunks) throws IOException {
        key = chunks.cursor(attrs.key());
        strings = chunks.cursor(attrs.value());
        ints = chunks.cursor(attrs.valueInt());
        doubles = chunks.cursor(attrs.valueDouble());
        bools = chunks.cursor(attrs.valueBool());
    }

    @Override
    public void row(RowSpans row, long bit) throws IOException {
        key.nextRow();
        strings.nextRow();
        ints.nextRow();
        doubles.nextRow();
        bools.nextRow();
        int ownerDepth = resourceLevel ? TraceColumns.RS_DEPTH : TraceColumns.SPANS_DEPTH;
        int owners = resourceLevel ? row.resources : row.spans;
        if (resourceLevel) {
            if (resourcePass.length < owners) {
                resourcePass = new boolean[2 * owners];
            }
            java.util.Arrays.fill(resourcePass, 0, owners, false);
        }
        int owner = -1;
        while (key.hasMore()) {
            if (key.rep() <= ownerDepth && key.def() >= ownerDepth) {
                owner++;
            }
            boolean wanted = key.present() ? keyTest.next(key) : skipEntry(key);
            boolean pass = wanted ? valuesPass() : skipValues();
            if (pass && owner >= 0 && owner < owners) {
                if (resourceLevel) {
                    resourcePass[owner] = true;
                } else {
                    row.masks[owner] |= bit;
                }
            }
        }
        if (resourceLevel) {
            for (int s = 0; s < row.spans; s++) {
                int r = row.spanResource[s];
                if (r >= 0 && r < owners && resourcePass[r]) {
                    row.masks[s] |= bit;
                }
            }
        }
    }

    private static boolean skipEntry(ColumnCursor cursor) {
        cursor.skip();
        return false;
    }

    private boolean skipValues() {
        skipSlot(strings);
        skipSlot(ints);
        skipSlot(doubles);
        skipSlot(bools);
        return false;
    }

    /** Passes over one attribute's entries of a value list: the first, then those repeated inside the list. */
    private void skipSlot(ColumnCursor values) {
        values.skip();
        while (values.hasMore() && values.rep() > attrs.depth()) {
            values.skip();
        }
    }

    private boolean valuesPass() {
        valueCount = 0;
        valuesPassed = 0;
        tally(strings, stringPasses);
        tally(ints, intPasses);
        tally(doubles, doublePasses);
        tally(bools, boolPasses);
        if (valueCount == 0 || predicate == null) {
            return true;
        }
        return predicate.negated() ? valuesPassed == valueCount : valuesPassed > 0;
    }

    /** Counts one attribute's present values in a typed value list, and those the predicate passes (all without one). */
    private void tally(ColumnCursor values, ValueTest test) {
        do {
            if (values.present()) {
                valueCount++;
                if (predicate == null) {
                    values.skip();
                    valuesPassed++;
                } else if (test.next(values)) {
                    valuesPassed++;
                }
            } else {
                values.skip();
            }
        } while (values.hasMore() && values.rep() > attrs.depth());
    }

    /** Reads the next value of a typed list and tests it. */
    private interface ValueTest {
        boolean next(ColumnCursor values);
    }
}
