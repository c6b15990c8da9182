package io.sigmatch.matcher.lists;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.agrona.BufferUtil;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Collects packed identities (on the heap, 8 bytes each) and lays them out as a {@link TargetList}
 * off-heap. No global sort: entries are counted and scattered by chunk, and only each chunk's own
 * entries are sorted, so building stays linear in the list size. Duplicates are allowed and counted
 * once.
 */
public final class TargetListBuilder {
    /** A chunk with at least this many entries becomes a bitmap: at most 4 bytes an entry, one cache miss. */
    public static final int DEFAULT_BITMAP_MIN_ENTRIES = 2048;
    /** The most entries one list may hold (the heap array collecting them is indexed by int). */
    public static final int MAX_ENTRIES = Integer.MAX_VALUE - 16;
    /** Off-heap limits of one list: a direct buffer holds at most 2 GiB. */
    static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;
    static final int MAX_SLOTS = 1 << 27;

    private final IdentityKind kind;
    private final int bitmapMinEntries;
    private long[] values = new long[1024];
    private int count;

    public TargetListBuilder(final IdentityKind kind) {
        this(kind, DEFAULT_BITMAP_MIN_ENTRIES);
    }

    /** bitmapMinEntries in [33, 65536]: trades memory (higher) for one cache miss fewer (lower). */
    public TargetListBuilder(final IdentityKind kind, final int bitmapMinEntries) {
        if (bitmapMinEntries <= TargetList.SMALL_MAX_ENTRIES || bitmapMinEntries > (1 << TargetList.CHUNK_BITS)) {
            throw new IllegalArgumentException("bitmapMinEntries must be in [33, 65536]: " + bitmapMinEntries);
        }
        this.kind = kind;
        this.bitmapMinEntries = bitmapMinEntries;
    }

    public IdentityKind kind() {
        return kind;
    }

    /** Entries added so far, duplicates included. */
    public int count() {
        return count;
    }

    /**
     * Adds a packed digit string already checked against the kind. Returns false, adding nothing,
     * when the list already holds {@link #MAX_ENTRIES}.
     */
    public boolean add(final long packed) {
        if (packed <= 0) {
            throw new IllegalArgumentException("not a packed digit string");
        }
        if (count == values.length) {
            if (count >= MAX_ENTRIES) {
                return false;
            }
            values = Arrays.copyOf(values, (int) Math.min(MAX_ENTRIES, values.length * 3L / 2 + 16));
        }
        values[count++] = packed;
        return true;
    }

    /**
     * Lays the entries out off-heap. Throws IllegalStateException when the list does not fit the
     * limits of one list (2 GiB of containers, 2^27 directory slots); nothing stays allocated then.
     */
    public TargetList build(final String name) {
        // 1. entries per chunk, duplicates included
        final Long2LongHashMap perChunk = new Long2LongHashMap(Math.max(16, count / 1024), 0.6f, -1L);
        for (int i = 0; i < count; i++) {
            final long key = values[i] >>> TargetList.CHUNK_BITS;
            final long n = perChunk.get(key);
            perChunk.put(key, n < 0 ? 1 : n + 1);
        }
        final int chunks = perChunk.size();
        final long[] keys = new long[chunks];
        int k = 0;
        for (final Long2LongHashMap.KeyIterator it = perChunk.keySet().iterator(); it.hasNext(); ) {
            keys[k++] = it.nextValue();
        }
        // sorted, so neighbouring number blocks are neighbours in memory too
        Arrays.sort(keys);

        // 2. scatter the 16-bit positions by chunk; flipping the sign bit makes signed sort order unsigned
        final int[] start = new int[chunks + 1];
        for (int c = 0; c < chunks; c++) {
            start[c + 1] = start[c] + (int) perChunk.get(keys[c]);
            perChunk.put(keys[c], c);
        }
        final short[] positions = new short[count];
        final int[] cursor = Arrays.copyOf(start, chunks);
        for (int i = 0; i < count; i++) {
            final int c = (int) perChunk.get(values[i] >>> TargetList.CHUNK_BITS);
            positions[cursor[c]++] = (short) ((values[i] & TargetList.POSITION_MASK) ^ 0x8000);
        }

        // 3. runs of consecutive well-filled chunks become ranges (flat bitmaps), the longest runs first
        final int rangeMin = Math.max(1, bitmapMinEntries / 2);
        final int[] rangeOf = new int[chunks];
        Arrays.fill(rangeOf, -1);
        final java.util.List<int[]> runs = new java.util.ArrayList<>();
        for (int c = 0; c < chunks; ) {
            int end = c;
            while (end < chunks && start[end + 1] - start[end] >= rangeMin
                && (end == c || keys[end] == keys[end - 1] + 1)) {
                end++;
            }
            if (end > c) {
                runs.add(new int[] {c, end - c});
                c = end;
            } else {
                c++;
            }
        }
        runs.sort((a, b) -> b[1] != a[1] ? Integer.compare(b[1], a[1]) : Integer.compare(a[0], b[0]));
        final java.util.List<int[]> kept = new java.util.ArrayList<>(runs.subList(0, Math.min(runs.size(), TargetList.MAX_RANGES)));
        kept.sort((a, b) -> Integer.compare(a[0], b[0]));
        final int ranges = kept.size();
        final int padded = Integer.highestOneBit(Math.max(1, ranges * 2 - 1));
        final long[] rangeStarts = new long[padded];
        final long[] rangeChunks = new long[padded];
        final int[] rangeOffsets = new int[padded];
        Arrays.fill(rangeStarts, Long.MAX_VALUE);
        long dataLength = 0;
        for (int r = 0; r < ranges; r++) {
            final int first = kept.get(r)[0];
            final int length = kept.get(r)[1];
            rangeStarts[r] = keys[first];
            rangeChunks[r] = length;
            for (int c = first; c < first + length; c++) {
                rangeOf[c] = r;
            }
            dataLength += (long) length * TargetList.BITMAP_LENGTH;
            if (dataLength > MAX_DATA_BYTES) {
                throw new IllegalStateException("list needs more than " + MAX_DATA_BYTES + " bytes of bitmaps");
            }
            rangeOffsets[r] = (int) (dataLength - (long) length * TargetList.BITMAP_LENGTH);
        }

        // 4. every other chunk: bitmap when large, else sorted distinct positions, small or indexed
        final int[] kinds = new int[chunks];
        final int[] distinct = new int[chunks];
        final long[] offsets = new long[chunks];
        int directoryChunks = 0;
        for (int c = 0; c < chunks; c++) {
            final int n = start[c + 1] - start[c];
            if (rangeOf[c] >= 0) {
                kinds[c] = TargetList.KIND_BITMAP;
                final int r = rangeOf[c];
                offsets[c] = rangeOffsets[r] + (long) (c - kept.get(r)[0]) * TargetList.BITMAP_LENGTH;
                continue;
            }
            directoryChunks++;
            final int length;
            if (n >= bitmapMinEntries) {
                kinds[c] = TargetList.KIND_BITMAP;
                length = TargetList.BITMAP_LENGTH;
            } else {
                Arrays.sort(positions, start[c], start[c + 1]);
                int d = 0;
                for (int i = start[c]; i < start[c + 1]; i++) {
                    if (d == 0 || positions[start[c] + d - 1] != positions[i]) {
                        positions[start[c] + d++] = positions[i];
                    }
                }
                distinct[c] = d;
                if (d <= TargetList.SMALL_MAX_ENTRIES) {
                    kinds[c] = TargetList.KIND_SMALL;
                    length = d * 2;
                } else {
                    kinds[c] = TargetList.KIND_INDEXED;
                    length = TargetList.INDEX_LENGTH + d;
                }
            }
            offsets[c] = dataLength;
            dataLength += (length + 7) & ~7;
        }
        if (dataLength > MAX_DATA_BYTES) {
            throw new IllegalStateException("list needs " + dataLength + " bytes of chunks, more than one list holds");
        }
        final long slots = Math.max(4, Long.highestOneBit(Math.max(1, (long) directoryChunks * 2 - 1)) << 1);
        if (slots > MAX_SLOTS) {
            throw new IllegalStateException("list spans " + directoryChunks + " sparse chunks, more than one list holds");
        }

        // 5. containers, then the directory of the chunks outside ranges
        final ByteBuffer dataMemory = ByteBuffer.allocateDirect((int) Math.max(8, dataLength));
        final ByteBuffer directoryMemory;
        try {
            directoryMemory = ByteBuffer.allocateDirect((int) slots * TargetList.SLOT_LENGTH);
        } catch (final OutOfMemoryError e) {
            BufferUtil.free(dataMemory);
            throw e;
        }
        final UnsafeBuffer data = new UnsafeBuffer(dataMemory);
        final UnsafeBuffer directory = new UnsafeBuffer(directoryMemory);
        directory.setMemory(0, directory.capacity(), (byte) 0xFF);
        final int hashShift = 64 - Integer.numberOfTrailingZeros((int) slots);
        final int slotMask = (int) slots - 1;
        long size = 0;
        for (int c = 0; c < chunks; c++) {
            final int offset = (int) offsets[c];
            final int entries;
            if (kinds[c] == TargetList.KIND_BITMAP) {
                for (int i = start[c]; i < start[c + 1]; i++) {
                    final int p = (positions[i] ^ 0x8000) & 0xFFFF;
                    final int word = offset + ((p >>> 6) << 3);
                    data.putLong(word, data.getLong(word) | (1L << (p & 63)));
                }
                int bits = 0;
                for (int w = 0; w < TargetList.BITMAP_LENGTH; w += 8) {
                    bits += Long.bitCount(data.getLong(offset + w));
                }
                entries = bits;
            } else if (kinds[c] == TargetList.KIND_SMALL) {
                entries = distinct[c];
                for (int i = 0; i < entries; i++) {
                    data.putShort(offset + i * 2, (short) (positions[start[c] + i] ^ 0x8000));
                }
            } else {
                entries = distinct[c];
                writeIndexed(data, offset, positions, start[c], entries);
            }
            size += entries;
            if (rangeOf[c] >= 0) {
                continue;
            }
            int slot = TargetList.slot(keys[c], hashShift);
            while (directory.getLong(slot * TargetList.SLOT_LENGTH) != TargetList.EMPTY_KEY) {
                slot = (slot + 1) & slotMask;
            }
            final int at = slot * TargetList.SLOT_LENGTH;
            directory.putLong(at, keys[c]);
            directory.putInt(at + TargetList.SLOT_DATA_OFFSET, offset);
            directory.putInt(at + TargetList.SLOT_INFO_OFFSET, (kinds[c] << TargetList.KIND_SHIFT) | entries);
        }
        return new TargetList(name, kind, size, chunks, directoryMemory, dataMemory, rangeStarts, rangeChunks,
            rangeOffsets, ranges);
    }

    /** start[h] = entries whose high byte is below h; then the low bytes in order. */
    private static void writeIndexed(final UnsafeBuffer data, final int offset, final short[] positions,
        final int from, final int entries) {
        final int lows = offset + TargetList.INDEX_LENGTH;
        int high = 0;
        for (int i = 0; i < entries; i++) {
            final int p = (positions[from + i] ^ 0x8000) & 0xFFFF;
            while (high <= p >>> 8) {
                data.putShort(offset + high * 2, (short) i);
                high++;
            }
            data.putByte(lows + i, (byte) p);
        }
        while (high < TargetList.INDEX_ENTRIES) {
            data.putShort(offset + high * 2, (short) entries);
            high++;
        }
    }
}
