package io.vivace.querier;

import io.vivace.common.block.BackendBlock;
import io.vivace.common.block.BlockKeys;
import io.vivace.common.block.BlockMeta;
import io.vivace.common.block.TenantIndex;
import io.vivace.common.storage.Backend;
import io.vivace.common.storage.ObjectNotFoundException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocks in the backend, per tenant, refreshed by {@link #poll}. A block counts once its {@code meta.json}
 * exists (written last); a compacted block stays readable until the compactor deletes it after its grace period, so a
 * querier with an older list never misses data. Polls read the compactor's tenant index and list the bucket only
 * when the index is missing or older than {@code staleIndexAge} (0 = never stale), and on the first poll.
 */
public final class Blocklist {

    private static final Logger log = LoggerFactory.getLogger(Blocklist.class);

    private final Backend backend;
    private final Duration staleIndexAge;
    private final Clock clock;
    private final Map<String, List<BackendBlock>> byTenant = new ConcurrentHashMap<>();
    private boolean listedOnce;

    public Blocklist(Backend backend, Duration staleIndexAge, Clock clock) {
        this.backend = backend;
        this.staleIndexAge = staleIndexAge;
        this.clock = clock;
    }

    public List<BackendBlock> blocks(String tenant) {
        return byTenant.getOrDefault(tenant, List.of());
    }

    /** Refreshes from the tenant indexes (listing where there is none); returns how many blocks are known afterwards. */
    public int poll() throws IOException {
        return poll(false);
    }

    /** @param list list the bucket even where a tenant index exists */
    public synchronized int poll(boolean list) throws IOException {
        boolean listing = list || !listedOnce;
        int total = 0;
        Set<String> tenants = new HashSet<>(backend.children(""));
        for (String tenant : tenants) {
            Map<UUID, BackendBlock> known = new HashMap<>();
            for (BackendBlock b : blocks(tenant)) {
                known.put(b.meta().blockId(), b);
            }
            List<BackendBlock> current = new CopyOnWriteArrayList<>();
            for (BlockMeta meta : listing ? listMetas(tenant, known) : indexedMetas(tenant, known)) {
                BackendBlock block = known.remove(meta.blockId());
                if (block == null) {
                    block = open(meta);
                }
                if (block != null) {
                    current.add(block);
                }
            }
            byTenant.put(tenant, current);
            known.values().forEach(BackendBlock::close); // gone from the backend
            total += current.size();
        }
        for (String gone : Set.copyOf(byTenant.keySet())) {
            if (!tenants.contains(gone)) {
                byTenant.remove(gone).forEach(BackendBlock::close);
            }
        }
        listedOnce = true;
        return total;
    }

    /** The live and not yet deleted compacted blocks of the tenant index, or of a listing when the index will not do. */
    private List<BlockMeta> indexedMetas(String tenant, Map<UUID, BackendBlock> known) throws IOException {
        TenantIndex index;
        try {
            index = TenantIndex.fromGzippedJson(backend.read(BlockKeys.tenantIndex(tenant)));
        } catch (ObjectNotFoundException e) {
            return listMetas(tenant, known);
        } catch (IOException e) {
            log.warn("tenant index of {} is unreadable, listing instead: {}", tenant, e.toString());
            return listMetas(tenant, known);
        }
        if (!staleIndexAge.isZero() && index.createdAt().isBefore(clock.instant().minus(staleIndexAge))) {
            return listMetas(tenant, known);
        }
        List<BlockMeta> metas = new ArrayList<>(index.live());
        index.compacted().forEach(c -> metas.add(c.meta()));
        return metas;
    }

    /** Every block folder of the tenant with a meta; metas of blocks already open are not read again. */
    private List<BlockMeta> listMetas(String tenant, Map<UUID, BackendBlock> known) throws IOException {
        List<BlockMeta> metas = new ArrayList<>();
        for (String child : backend.children(tenant + "/")) {
            UUID id;
            try {
                id = UUID.fromString(child);
            } catch (IllegalArgumentException e) {
                continue; // the tenant index, or not a block folder
            }
            BackendBlock open = known.get(id);
            BlockMeta meta = open != null ? open.meta() : readMeta(tenant, id);
            if (meta != null) {
                metas.add(meta);
            }
        }
        return metas;
    }

    private BlockMeta readMeta(String tenant, UUID id) {
        try {
            return BlockMeta.fromJson(backend.read(BlockKeys.meta(tenant, id)));
        } catch (ObjectNotFoundException live) {
            try {
                return TenantIndex.CompactedBlock.fromJson(backend.read(BlockKeys.compactedMeta(tenant, id))).meta();
            } catch (ObjectNotFoundException neither) {
                return null; // still being written, or being deleted
            } catch (IOException | RuntimeException e) {
                log.warn("skipping block {}/{}: {}", tenant, id, e.toString());
                return null;
            }
        } catch (IOException | RuntimeException e) {
            log.warn("skipping block {}/{}: {}", tenant, id, e.toString());
            return null;
        }
    }

    private BackendBlock open(BlockMeta meta) {
        try {
            return BackendBlock.open(backend, meta);
        } catch (IOException | RuntimeException e) {
            log.warn("skipping block {}/{}: {}", meta.tenantId(), meta.blockId(), e.toString());
            return null;
        }
    }
}
