package io.vivace.common.block;

import io.vivace.common.block.parquet.ByteArrayDictionary;
import io.vivace.common.block.parquet.ColumnCursor;
import java.util.function.Predicate;

/**
 * A string test applied to the values of one column, answered once per dictionary entry: a dictionary-encoded page
 * costs one array read per value after the first occurrence of each distinct string.
 */
final class StringTest {

    private static final byte UNKNOWN = 0;
    private static final byte PASS = 1;
    private static final byte FAIL = 2;

    private final Predicate<String> test;
    private ByteArrayDictionary dictionary;
    private byte[] answers;

    StringTest(Predicate<String> test) {
        this.test = test;
    }

    /** Reads the cursor's next (present) value and tests it. */
    boolean next(ColumnCursor cursor) {
        if (!cursor.dictionaryEncoded()) {
            return test.test(cursor.nextString());
        }
        ByteArrayDictionary d = cursor.dictionary();
        if (d != dictionary) {
            dictionary = d;
            answers = new byte[d.size()];
        }
        int id = cursor.nextDictionaryId();
        byte answer = answers[id];
        if (answer == UNKNOWN) {
            answer = test.test(d.string(id)) ? PASS : FAIL;
            answers[id] = answer;
        }
        return answer == PASS;
    }

    /** Whether some entry of the dictionary passes (every entry is tested). */
    boolean anyPasses(ByteArrayDictionary d) {
        for (int id = 0; id < d.size(); id++) {
            if (test.test(d.string(id))) {
                return true;
            }
        }
        return false;
    }
}
