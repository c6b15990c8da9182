package io.sigmatch.matcher.areas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The areas of one snapshot: cell ({@link CellKey}) to the set of areas containing it, off-heap,
 * answering without allocating in one or two cache lines.
 *
 * <pre>
 * cell table: open addressing, linear probing, load 0.75, 12 bytes a slot (unaligned reads)
 *   0               8               12
 *   +---------------+---------------+
 *   | cell key      | area set      |    empty slot: cell key = 0
 *   +---------------+---------------+
 *
 * area sets: the distinct sets of areas cells belong to, each a bitmap of ceil(areas / 64) words;
 *   set 0 is the empty set (a cell in no area), so most cells of an operator share a few sets.
 * </pre>
 *
 * A cell costs 12 / 0.75 = 16 bytes (10 M cells: 160 MB; the table is sized to the cell count, not
 * to a power of two, and the slot found by multiply-shift of a Fibonacci hash); a distinct set {@code 8 × ceil(areas / 64)} bytes. Areas are known to
 * the subscriber state by a stable id, the hash of the area's name, so a stay survives a snapshot
 * activation that keeps the area (and its name) but renumbers it.
 *
 * <p>Immutable once built; read by any number of threads. {@link #close()} frees the memory.
 */
public final class AreaMap implements AutoCloseable {
    /** At most this many areas per snapshot: an area set is then at most 512 bytes. */
    public static final int MAX_AREAS = 4096;
    /** At most this many cells across all area files of one snapshot. */
    public static final int MAX_CELLS = 64 << 20;
    static final int SLOT_LENGTH = 12;
    static final int SLOT_SET_OFFSET = 8;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final String[] names;
    private final UnsafeBuffer[] nameBytes;
    private final int[] stableIds;
    private final Int2IntHashMap byStableId = new Int2IntHashMap(-1);
    private final ByteBuffer tableMemory;
    private final ByteBuffer setMemory;
    private final UnsafeBuffer table;
    private final UnsafeBuffer sets;
    private final int words;
    private final int slots;
    private final int setCount;
    private final long cells;
    private boolean closed;

    AreaMap(final String[] names, final ByteBuffer tableMemory, final ByteBuffer setMemory, final int words,
        final int setCount, final long cells) {
        this.names = names;
        this.nameBytes = new UnsafeBuffer[names.length];
        this.stableIds = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            nameBytes[i] = new UnsafeBuffer(names[i].getBytes(StandardCharsets.US_ASCII));
            stableIds[i] = stableId(names[i]);
            if (byStableId.put(stableIds[i], i) != -1) {
                throw new IllegalArgumentException("two area names with one stable id: rename " + names[i]);
            }
        }
        this.tableMemory = tableMemory;
        this.setMemory = setMemory;
        this.table = new UnsafeBuffer(tableMemory);
        this.sets = new UnsafeBuffer(setMemory);
        this.words = words;
        this.slots = tableMemory.capacity() / SLOT_LENGTH;
        this.setCount = setCount;
        this.cells = cells;
    }

    /** No areas at all. */
    public static AreaMap empty() {
        return new AreaMapBuilder(new String[0]).build();
    }

    /**
     * The id the subscriber state knows an area by: a non-zero hash of its name (FNV-1a, 32 bits),
     * the same in every snapshot that names the area alike.
     */
    public static int stableId(final String name) {
        int h = 0x811C9DC5;
        for (int i = 0; i < name.length(); i++) {
            h ^= name.charAt(i);
            h *= 0x01000193;
        }
        return h == 0 ? 1 : h;
    }

    /** Lemire's multiply-shift: the hash's top 32 bits scaled to [0, slots). */
    static int slot(final long key, final int slots) {
        return (int) ((((key * GOLDEN) >>> 32) * slots) >>> 32);
    }

    /** The set of areas containing the cell; 0 (the empty set) for a cell in no area or {@link CellKey#NONE}. */
    public int setOf(final long cellKey) {
        if (cellKey == CellKey.NONE) {
            return 0;
        }
        int s = slot(cellKey, slots);
        while (true) {
            final int at = s * SLOT_LENGTH;
            final long k = table.getLong(at);
            if (k == cellKey) {
                return table.getInt(at + SLOT_SET_OFFSET);
            }
            if (k == 0) {
                return 0;
            }
            if (++s == slots) {
                s = 0;
            }
        }
    }

    /** True when area (an index in this map) is in the set. */
    public boolean contains(final int set, final int area) {
        if (set == 0 || area < 0 || area >= names.length) {
            return false;
        }
        final long word = sets.getLong((set * words + (area >>> 6)) << 3);
        return (word >>> (area & 63) & 1L) != 0;
    }

    /** True when the cell is in the area. */
    public boolean cellIn(final long cellKey, final int area) {
        return contains(setOf(cellKey), area);
    }

    public int areaCount() {
        return names.length;
    }

    public String name(final int area) {
        return names[area];
    }

    /** The name as ASCII bytes, for the journal's area field. */
    public DirectBuffer nameBytes(final int area) {
        return nameBytes[area];
    }

    public int stableIdOf(final int area) {
        return stableIds[area];
    }

    /** The area with that stable id, -1 when this snapshot has none. */
    public int indexOfStableId(final int stableId) {
        return byStableId.get(stableId);
    }

    /** Index of the named area, -1 when none. */
    public int indexOf(final String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Cells in the table (a cell in several areas counts once). */
    public long cellCount() {
        return cells;
    }

    /** Distinct area sets, the empty one included. */
    public int setCount() {
        return setCount;
    }

    /** Off-heap bytes held. */
    public long bytes() {
        return (long) tableMemory.capacity() + setMemory.capacity();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            BufferUtil.free(tableMemory);
            BufferUtil.free(setMemory);
        }
    }

    @Override
    public String toString() {
        return "AreaMap{" + names.length + " areas, " + cells + " cells}";
    }
}
