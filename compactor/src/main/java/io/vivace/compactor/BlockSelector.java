package io.vivace.compactor;

import io.vivace.common.block.BlockMeta;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Picks compaction jobs as Tempo does, simplified: blocks are grouped by the window their end time falls in and by
 * compaction level; within a group the smallest blocks are merged first, 2 to {@code maxInputBlocks} at a time,
 * bounded by traces and bytes. Newer windows and lower levels come first.
 */
final class BlockSelector {

    private BlockSelector() {
    }

    static List<CompactionJob> select(String tenant, List<BlockMeta> live, CompactionPolicy policy) {
        Map<String, List<BlockMeta>> groups = new TreeMap<>(Comparator.reverseOrder());
        long windowSeconds = policy.window().toSeconds();
        for (BlockMeta meta : live) {
            long window = Math.floorDiv(meta.endTime().getEpochSecond(), windowSeconds);
            // Zero-padded so that reverse string order is newest window first, then lowest level first.
            String group = "%020d-%010d".formatted(window, Integer.MAX_VALUE - meta.compactionLevel());
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(meta);
        }
        List<CompactionJob> jobs = new ArrayList<>();
        groups.forEach((group, blocks) -> {
            blocks.sort(Comparator.comparingLong(BlockMeta::totalObjects).thenComparing(BlockMeta::blockId));
            List<BlockMeta> run = new ArrayList<>();
            long objects = 0;
            long bytes = 0;
            for (BlockMeta block : blocks) {
                boolean fits = run.size() < policy.maxInputBlocks() && objects + block.totalObjects() <= policy.maxObjects()
                        && bytes + block.size() <= policy.maxBytes();
                if (!fits) {
                    addJob(jobs, tenant, group, run);
                    run = new ArrayList<>();
                    objects = 0;
                    bytes = 0;
                }
                run.add(block);
                objects += block.totalObjects();
                bytes += block.size();
            }
            addJob(jobs, tenant, group, run);
        });
        return jobs;
    }

    private static void addJob(List<CompactionJob> jobs, String tenant, String group, List<BlockMeta> run) {
        if (run.size() >= 2) {
            jobs.add(new CompactionJob(tenant, List.copyOf(run), tenant + "/" + group + "/" + run.getFirst().blockId()));
        }
    }
}
