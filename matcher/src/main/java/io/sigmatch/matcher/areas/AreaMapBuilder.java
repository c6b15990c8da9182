package io.sigmatch.matcher.areas;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds an {@link AreaMap}, off the hot path: cells are added area by area, in area order. The area
 * set of each cell is interned as it grows (set s plus area a gives the same set for every cell), so
 * building holds one on-heap map entry per cell and one bitmap per distinct set.
 */
public final class AreaMapBuilder {
    private final String[] names;
    private final int words;
    private final Long2LongHashMap cellToSet = new Long2LongHashMap(-1);
    /** (set << 12 | area) to the set with that area added. */
    private final Long2LongHashMap transitions = new Long2LongHashMap(-1);
    private final List<long[]> setBits = new ArrayList<>();
    private final Map<BitsKey, Integer> interned = new HashMap<>();
    private int lastArea = -1;

    public AreaMapBuilder(final String[] names) {
        if (names.length > AreaMap.MAX_AREAS) {
            throw new IllegalArgumentException("more than " + AreaMap.MAX_AREAS + " areas");
        }
        this.names = names.clone();
        this.words = Math.max(1, (names.length + 63) >>> 6);
        final long[] empty = new long[words];
        setBits.add(empty);
        interned.put(new BitsKey(empty), 0);
    }

    /** Adds a cell to area (areas in ascending order); false when the map would exceed {@link AreaMap#MAX_CELLS}. */
    public boolean add(final int area, final long cellKey) {
        if (area < lastArea || area >= names.length) {
            throw new IllegalArgumentException("areas must be added in order");
        }
        if (cellKey == CellKey.NONE) {
            throw new IllegalArgumentException("no cell");
        }
        lastArea = area;
        final long current = cellToSet.get(cellKey);
        if (current < 0 && cellToSet.size() >= AreaMap.MAX_CELLS) {
            return false;
        }
        final int from = current < 0 ? 0 : (int) current;
        final long transition = ((long) from << 12) | area;
        long to = transitions.get(transition);
        if (to < 0) {
            final long[] bits = setBits.get(from).clone();
            bits[area >>> 6] |= 1L << (area & 63);
            final BitsKey key = new BitsKey(bits);
            Integer existing = interned.get(key);
            if (existing == null) {
                existing = setBits.size();
                setBits.add(bits);
                interned.put(key, existing);
            }
            to = existing;
            transitions.put(transition, to);
        }
        cellToSet.put(cellKey, to);
        return true;
    }

    public AreaMap build() {
        final int cells = cellToSet.size();
        final int slots = Math.max(16, (int) ((cells * 4L + 2) / 3));
        final ByteBuffer tableMemory = ByteBuffer.allocateDirect(slots * AreaMap.SLOT_LENGTH);
        final ByteBuffer setMemory = ByteBuffer.allocateDirect(Math.max(64, align(setBits.size() * words * 8L)));
        final UnsafeBuffer table = new UnsafeBuffer(tableMemory);
        final UnsafeBuffer sets = new UnsafeBuffer(setMemory);
        table.setMemory(0, table.capacity(), (byte) 0);
        sets.setMemory(0, sets.capacity(), (byte) 0);
        final Long2LongHashMap.KeyIterator keys = cellToSet.keySet().iterator();
        while (keys.hasNext()) {
            final long key = keys.nextValue();
            int s = AreaMap.slot(key, slots);
            while (table.getLong(s * AreaMap.SLOT_LENGTH) != 0) {
                if (++s == slots) {
                    s = 0;
                }
            }
            table.putLong(s * AreaMap.SLOT_LENGTH, key);
            table.putInt(s * AreaMap.SLOT_LENGTH + AreaMap.SLOT_SET_OFFSET, (int) cellToSet.get(key));
        }
        for (int i = 0; i < setBits.size(); i++) {
            final long[] bits = setBits.get(i);
            for (int w = 0; w < words; w++) {
                sets.putLong((i * words + w) << 3, bits[w]);
            }
        }
        return new AreaMap(names, tableMemory, setMemory, words, setBits.size(), cells);
    }

    private static int align(final long bytes) {
        if (bytes > Integer.MAX_VALUE - 64) {
            throw new IllegalStateException("area sets too large");
        }
        return (int) ((bytes + 63) & ~63L);
    }

    private static final class BitsKey {
        final long[] bits;
        final int hash;

        BitsKey(final long[] bits) {
            this.bits = bits;
            this.hash = Arrays.hashCode(bits);
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof BitsKey && Arrays.equals(bits, ((BitsKey) o).bits);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
