package io.sigmatch.matcher.state;

import java.io.IOException;
import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One shard's subscriber state (DESIGN §5): an open-addressed table (linear probing, backward-shift
 * deletion) of fixed-size records keyed by the subscriber key (IMSI, else MSISDN, else IMEI), off-heap
 * in a memory-mapped file or direct memory ({@link OffHeapRegion}). The shard thread is its only
 * writer; nothing here allocates after open.
 *
 * <p>Bounded: at most 3/4 of the slots are used. Inserting into a full table evicts the subscriber
 * seen longest ago among the next {@link #EVICTION_WINDOW} occupied slots of the new key's probe run
 * (DESIGN §5: "evicts by age"), counted by {@link #evictions()}.
 *
 * <pre>
 * record, {@value #RECORD_BYTES} bytes (all times epoch ns of capture time; MIN_VALUE = none)
 *   0 key        8 imsi      16 msisdn    24 imei (last seen)   32 cell (CellKey, 0 unknown)
 *  40 last event 48 visit start           56 forwarding set     64 flags (int: VISITING)  68 -
 *  72 global cap: 4 admitted match times
 * 104 area slots, 3 x 56: +0 stable area id (0 free), +4 flags (INSIDE), +8 entry, +16 last exit,
 *                         +24 4 entry times (frequent visitor)
 * 272 cap slots, 4 x 40:  +0 rule stable id (0 free), +8 4 admitted match times
 * 432 - (16 spare)
 * </pre>
 *
 * 448 bytes a subscriber, 597 bytes a subscriber counting the empty quarter: 100 M subscribers take a
 * 64 GiB file (2^27 slots), mapped; the kernel keeps the recently active pages in memory.
 */
public final class SubscriberStates implements AutoCloseable {
    public static final int RECORD_BYTES = 448;
    public static final int EVICTION_WINDOW = 16;

    public static final int KEY = 0;
    public static final int IMSI = 8;
    public static final int MSISDN = 16;
    public static final int IMEI = 24;
    public static final int CELL = 32;
    public static final int LAST_EVENT = 40;
    public static final int VISIT_START = 48;
    public static final int FORWARDING = 56;
    public static final int FLAGS = 64;
    public static final int GLOBAL_TIMES = 72;
    public static final int AREA_SLOTS = 104;
    public static final int AREA_SLOT_COUNT = 3;
    public static final int AREA_SLOT_BYTES = 56;
    public static final int AREA_ID = 0;
    public static final int AREA_FLAGS = 4;
    public static final int AREA_ENTRY = 8;
    public static final int AREA_EXIT = 16;
    public static final int AREA_ENTRIES = 24;
    public static final int CAP_SLOTS = 272;
    public static final int CAP_SLOT_COUNT = 4;
    public static final int CAP_SLOT_BYTES = 40;
    public static final int CAP_RULE = 0;
    public static final int CAP_TIMES = 8;
    /** Times a ring (global cap, cap slot, frequent-visitor entries) holds. */
    public static final int RING = 4;

    public static final int VISITING = 1;
    public static final int INSIDE = 1;

    private static final long MAGIC = 0x5347_4D53_5441_5431L; // "SGMSTAT1"
    private static final int H_MAGIC = 0;
    private static final int H_RECORD_BYTES = 8;
    private static final int H_CAPACITY = 16;
    private static final int H_SIZE = 24;
    private static final int H_SHARD = 32;
    private static final int H_SHARDS = 36;

    private final OffHeapRegion region;
    private final UnsafeBuffer header;
    private final int capacity;
    private final int mask;
    private final int maxSize;
    private int size;
    private long evictions;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[RECORD_BYTES]);

    private SubscriberStates(final OffHeapRegion region, final int shard, final int shards) {
        this.region = region;
        this.header = region.header();
        this.capacity = (int) region.records();
        this.mask = capacity - 1;
        this.maxSize = capacity - (capacity >>> 2);
        if (region.existed()) {
            if (header.getLong(H_MAGIC) != MAGIC || header.getLong(H_RECORD_BYTES) != RECORD_BYTES
                || header.getLong(H_CAPACITY) != capacity || header.getInt(H_SHARD) != shard
                || header.getInt(H_SHARDS) != shards) {
                final String what = "state file of another layout, capacity or shard count (record "
                    + header.getLong(H_RECORD_BYTES) + " B, capacity " + header.getLong(H_CAPACITY) + ", shard "
                    + header.getInt(H_SHARD) + " of " + header.getInt(H_SHARDS) + ")";
                region.close();
                throw new IllegalStateException(what + "; move it away or configure it alike");
            }
            size = (int) header.getLong(H_SIZE);
        } else {
            header.putLong(H_RECORD_BYTES, RECORD_BYTES);
            header.putLong(H_CAPACITY, capacity);
            header.putInt(H_SHARD, shard);
            header.putInt(H_SHARDS, shards);
            header.putLong(H_SIZE, 0);
            header.putLongVolatile(H_MAGIC, MAGIC);
        }
    }

    /**
     * The state of shard {@code shard} of {@code shards}, for capacity slots (a power of two; 3/4 of them
     * usable), in direct memory when file is null, else mapped from file — what an earlier run left there
     * is kept, so a restart (kill -9 included) resumes with it.
     */
    public static SubscriberStates open(final Path file, final int capacity, final int shard, final int shards)
        throws IOException {
        if (capacity < 16 || Integer.bitCount(capacity) != 1 || capacity > (1 << 30)) {
            throw new IllegalArgumentException("state capacity must be a power of two in [16, 2^30]: " + capacity);
        }
        return new SubscriberStates(OffHeapRegion.open(RECORD_BYTES, capacity, file), shard, shards);
    }

    private static int hash(final long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }

    /** The record of key, -1 when the table has none. */
    public int find(final long key) {
        int s = hash(key) & mask;
        while (true) {
            final long k = getLong(s, KEY);
            if (k == key) {
                return s;
            }
            if (k == 0) {
                return -1;
            }
            s = (s + 1) & mask;
        }
    }

    /** The record of key, made (all fields "none") when absent; a full table evicts the oldest nearby first. */
    public int getOrCreate(final long key, final long nowNs) {
        final int found = find(key);
        if (found >= 0) {
            return found;
        }
        if (size >= maxSize) {
            evictNear(key);
        }
        int s = hash(key) & mask;
        while (getLong(s, KEY) != 0) {
            s = (s + 1) & mask;
        }
        init(s, key, nowNs);
        size++;
        header.putLong(H_SIZE, size);
        return s;
    }

    private void init(final int r, final long key, final long nowNs) {
        final UnsafeBuffer b = region.segment(r);
        final int o = region.offset(r);
        b.setMemory(o, RECORD_BYTES, (byte) 0);
        b.putLong(o + LAST_EVENT, Long.MIN_VALUE);
        b.putLong(o + VISIT_START, Long.MIN_VALUE);
        b.putLong(o + FORWARDING, Long.MIN_VALUE);
        for (int i = 0; i < RING; i++) {
            b.putLong(o + GLOBAL_TIMES + 8 * i, Long.MIN_VALUE);
        }
        b.putLong(o + KEY, key); // last: a half-made record is never found by its key
    }

    private void evictNear(final long key) {
        int s = hash(key) & mask;
        int oldest = -1;
        long oldestNs = Long.MAX_VALUE;
        for (int seen = 0; seen < EVICTION_WINDOW; s = (s + 1) & mask) {
            if (getLong(s, KEY) == 0) {
                if (oldest >= 0) {
                    break;
                }
                continue;
            }
            seen++;
            final long t = getLong(s, LAST_EVENT);
            if (t < oldestNs || oldest < 0) {
                oldestNs = t;
                oldest = s;
            }
        }
        remove(oldest);
        evictions++;
    }

    /** Deletes record r, shifting later records of its probe run back so every key stays findable. */
    public void remove(final int r) {
        int hole = r;
        int s = (r + 1) & mask;
        while (true) {
            final long k = getLong(s, KEY);
            if (k == 0) {
                break;
            }
            final int home = hash(k) & mask;
            // s may move into the hole when its home is not cyclically in (hole, s]
            final boolean movable = hole <= s ? home <= hole || home > s : home <= hole && home > s;
            if (movable) {
                copy(s, hole);
                hole = s;
            }
            s = (s + 1) & mask;
        }
        region.segment(hole).putLong(region.offset(hole) + KEY, 0);
        size--;
        header.putLong(H_SIZE, size);
    }

    private void copy(final int from, final int to) {
        scratch.putBytes(0, region.segment(from), region.offset(from), RECORD_BYTES);
        region.segment(to).putBytes(region.offset(to), scratch, 0, RECORD_BYTES);
    }

    public long getLong(final int r, final int field) {
        return region.segment(r).getLong(region.offset(r) + field);
    }

    public void putLong(final int r, final int field, final long value) {
        region.segment(r).putLong(region.offset(r) + field, value);
    }

    public int getInt(final int r, final int field) {
        return region.segment(r).getInt(region.offset(r) + field);
    }

    public void putInt(final int r, final int field, final int value) {
        region.segment(r).putInt(region.offset(r) + field, value);
    }

    /** Subscribers held. */
    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /** Subscribers evicted to make room since open. */
    public long evictions() {
        return evictions;
    }

    /** Calls visitor with every occupied record (off the hot path: restart checks, tests). */
    public void forEach(final java.util.function.IntConsumer visitor) {
        for (int r = 0; r < capacity; r++) {
            if (getLong(r, KEY) != 0) {
                visitor.accept(r);
            }
        }
    }

    public long bytes() {
        return region.bytes();
    }

    @Override
    public void close() {
        region.close();
    }
}
