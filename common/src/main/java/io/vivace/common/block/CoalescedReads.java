package io.vivace.common.block;

import io.vivace.common.block.parquet.ChunkLayout;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;

/** Reads many byte ranges of a file with few reads: ranges less than a gap apart share one read. */
final class CoalescedReads {

    /** A requested range, inside the array of the read that covered it. */
    record Slice(byte[] bytes, int offset, int length) {
    }

    private CoalescedReads() {
    }

    /** The ranges {@code [offsets[i], offsets[i] + lengths[i])}, in request order. */
    static Slice[] read(ChunkLayout.Source file, long[] offsets, int[] lengths, int maxGap) throws IOException {
        int n = offsets.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> offsets[i]));
        Slice[] slices = new Slice[n];
        int first = 0;
        while (first < n) {
            long start = offsets[order[first]];
            long end = start + lengths[order[first]];
            int last = first;
            while (last + 1 < n && offsets[order[last + 1]] - end <= maxGap) {
                last++;
                end = Math.max(end, offsets[order[last]] + lengths[order[last]]);
            }
            byte[] bytes = file.read(start, Math.toIntExact(end - start));
            for (int k = first; k <= last; k++) {
                int i = order[k];
                slices[i] = new Slice(bytes, (int) (offsets[i] - start), lengths[i]);
            }
            first = last + 1;
        }
        return slices;
    }
}
