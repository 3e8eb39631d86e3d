package io.vivace.common.block;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Reads many byte ranges of a file with few reads: ranges less than a gap apart share one read. Ranges a caching
 * store already holds are not read again, and each range read is offered to its cache on its own, so that the next
 * lookup of a row finds its pages whatever the neighbours it was read with.
 */
final class CoalescedReads {

    /** A requested range, inside the array of the read that covered it. */
    record Slice(byte[] bytes, int offset, int length) {
    }

    private CoalescedReads() {
    }

    /** The ranges {@code [offsets[i], offsets[i] + lengths[i])}, in request order. */
    static Slice[] read(DataFile.Reads file, long[] offsets, int[] lengths, int maxGap) throws IOException {
        Slice[] slices = new Slice[offsets.length];
        int n = 0;
        Integer[] order = new Integer[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            byte[] cached = file.cachedPage(offsets[i], lengths[i]);
            if (cached != null) {
                slices[i] = new Slice(cached, 0, lengths[i]);
            } else {
                order[n++] = i;
            }
        }
        Arrays.sort(order, 0, n, Comparator.comparingLong(i -> offsets[i]));
        int first = 0;
        while (first < n) {
            long start = offsets[order[first]];
            long end = start + lengths[order[first]];
            int last = first;
            while (last + 1 < n && offsets[order[last + 1]] - end <= maxGap) {
                last++;
                end = Math.max(end, offsets[order[last]] + lengths[order[last]]);
            }
            byte[] bytes = file.readPagesUncached(start, Math.toIntExact(end - start));
            for (int k = first; k <= last; k++) {
                int i = order[k];
                slices[i] = new Slice(bytes, (int) (offsets[i] - start), lengths[i]);
                file.pageRead(offsets[i], slices[i]);
            }
            first = last + 1;
        }
        return slices;
    }
}
