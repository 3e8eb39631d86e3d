package io.vivace.common.block;

import io.vivace.common.block.parquet.ByteArrayDictionary;
import io.vivace.common.block.parquet.ColumnCursor;
import io.vivace.common.traceql.ValuePredicate;
import java.io.IOException;
import org.apache.parquet.column.statistics.Statistics;

/**
 * A condition on a column with at most one value per span (an intrinsic, a dedicated span attribute) or per resource
 * (service name, a dedicated resource attribute). A null predicate is the existence test.
 */
final class ScalarColumnProbe implements ConditionProbe {

    /** How the column's values read as TraceQL values. */
    enum Kind { STRING, INT, DURATION, STATUS, KIND }

    private final int column;
    private final boolean resourceLevel;
    private final Kind kind;
    private final ValuePredicate predicate;
    private final StringTest strings;
    private ColumnCursor cursor;
    private boolean[] resourcePass = new boolean[16];

    ScalarColumnProbe(int column, boolean resourceLevel, Kind kind, ValuePredicate predicate) {
        this.column = column;
        this.resourceLevel = resourceLevel;
        this.kind = kind;
        this.predicate = predicate;
        this.strings = predicate != null && kind == Kind.STRING ? new StringTest(predicate::testString) : null;
    }

    @Override
    public int[] columns() {
        return new int[] {column};
    }

    @Override
    public boolean mayPass(Chunks chunks) throws IOException {
        Statistics<?> stats = chunks.statistics(column);
        if (!ConditionProbe.mayHoldValues(stats)) {
            return false;
        }
        if (predicate == null) {
            return true;
        }
        if (kind == Kind.STRING) {
            ByteArrayDictionary dictionary = chunks.completeDictionary(column);
            return dictionary == null || strings.anyPasses(dictionary);
        }
        if (stats == null || stats.isEmpty() || !(stats.genericGetMin() instanceof Number lo)
                || !(stats.genericGetMax() instanceof Number hi)) {
            return true;
        }
        long min = lo.longValue();
        long max = hi.longValue();
        if (min > max) {
            return true; // unsigned statistics over values with the top bit set: no signed range to test
        }
        return switch (kind) {
            case INT, DURATION -> predicate.mayPassSomeLongIn(min, max);
            case STATUS, KIND -> {
                if (max - min > 16) {
                    yield true;
                }
                for (long code = min; code <= max; code++) {
                    if (kind == Kind.STATUS ? predicate.testStatus((int) code) : predicate.testKind((int) code)) {
                        yield true;
                    }
                }
                yield false;
            }
            case STRING -> true;
        };
    }

    @Override
    public void start(Chunks chunks) throws IOException {
        cursor = chunks.cursor(column);
    }

    @Override
    public void row(RowSpans row, long bit) throws IOException {
        cursor.nextRow();
        if (resourceLevel) {
            resourceRow(row, bit);
            return;
        }
        int span = -1;
        while (cursor.hasMore()) {
            if (cursor.rep() <= TraceColumns.SPANS_DEPTH && cursor.def() >= TraceColumns.SPANS_DEPTH) {
                span++;
            }
            if (!cursor.present()) {
                cursor.skip();
            } else if (passes() && span >= 0 && span < row.spans) {
                row.masks[span] |= bit;
            }
        }
    }

    private void resourceRow(RowSpans row, long bit) {
        if (resourcePass.length < row.resources) {
            resourcePass = new boolean[2 * row.resources];
        }
        int resource = -1;
        while (cursor.hasMore()) {
            if (cursor.rep() <= TraceColumns.RS_DEPTH && cursor.def() >= TraceColumns.RS_DEPTH) {
                resource++;
                if (resource < row.resources) {
                    resourcePass[resource] = false;
                }
            }
            if (!cursor.present()) {
                cursor.skip();
            } else if (passes() && resource >= 0 && resource < row.resources) {
                resourcePass[resource] = true;
            }
        }
        for (int s = 0; s < row.spans; s++) {
            int r = row.spanResource[s];
            if (r >= 0 && resourcePass[r]) {
                row.masks[s] |= bit;
            }
        }
    }

    /** Reads the present value at the cursor and tests it. */
    private boolean passes() {
        if (predicate == null) {
            cursor.skip();
            return true;
        }
        return switch (kind) {
            case STRING -> strings.next(cursor);
            case INT -> predicate.testLong(cursor.nextLong());
            case DURATION -> predicate.testDuration(cursor.nextLong());
            case STATUS -> predicate.testStatus((int) cursor.nextLong());
            case KIND -> predicate.testKind((int) cursor.nextLong());
        };
    }
}
