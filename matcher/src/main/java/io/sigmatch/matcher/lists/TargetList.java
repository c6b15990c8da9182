package io.sigmatch.matcher.lists;

import java.nio.ByteBuffer;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A set of identities (MSISDNs, IMSIs or TACs) held off-heap, answering membership of a decoder-packed
 * digit string without allocating and, for a dense list, with one cache miss.
 *
 * <h2>Layout: flat bitmaps per number range, compact chunks where numbers are sparse</h2>
 *
 * A packed identity is {@code length << 59 | value}. Its top 48 bits (length and value / 65536) name
 * a <em>chunk</em> of 65 536 consecutive numbers of one length; its low 16 bits are the position in
 * the chunk. Leading zeros therefore stay significant ("0123" and "123" are in different chunks), and
 * a list is as big as the number ranges it actually uses, not as the digit space.
 *
 * <p><b>Ranges.</b> Consecutive chunks that are all well filled (an operator's number blocks: 100 M
 * MSISDNs of one country fall in a few runs of 86 13x..., 86 15x...) are stored as one flat bitmap per
 * run. A lookup finds its run in a small on-heap table of run starts (at most {@link #MAX_RANGES},
 * binary-searched; a few hundred bytes that stay in L1 however much the bitmaps churn the caches)
 * and reads one word of the bitmap: the flat-bitmap lookup of DESIGN §9, one cache miss. A per-chunk
 * directory in front of the bitmaps would cost a second miss, as the bitmap traffic evicts it.
 *
 * <p><b>Other chunks</b> — sparse ones, or dense ones beyond the range table — sit in an off-heap hash
 * directory, each in the container that suits its number of entries n:
 *
 * <pre>
 * directory: open addressing, linear probing, load &lt;= 0.5, 16 bytes a slot
 *   0               8               12              16
 *   +---------------+---------------+---------------+
 *   | chunk key     | data offset   | kind | count  |    empty slot: chunk key = -1
 *   +---------------+---------------+---------------+
 *
 *   SMALL    n &lt;= 32         n x u16 positions, sorted; a linear scan of one or two lines
 *   INDEXED  32 &lt; n &lt; B      u16 start[257] by the position's high byte, then n x u8 low bytes,
 *                           sorted; one line of the index, then one line of low bytes
 *   BITMAP   n &gt;= B          1024 x u64, bit (position &amp; 63) of word (position / 64)
 * </pre>
 *
 * B is the builder's {@code bitmapMinEntries} (default 2048); a chunk joins a range from B / 2 entries.
 * Cost per entry: a range chunk 8 192 bytes (3.75 bytes an entry at the 3.3 % density of DESIGN
 * §9's 100 M list, at most 8 at the B / 2 threshold); SMALL 2 bytes; INDEXED 1 byte + 514 per chunk
 * (2.5 bytes at 1 000 entries, a density of 1.5 %); BITMAP at most 4; plus 32 to 64 bytes of
 * directory per non-range chunk, the dominant cost only for a list whose every entry sits alone in
 * its chunk. A non-range lookup reads a directory slot and one (SMALL, BITMAP) or two (INDEXED) lines.
 *
 * <p>Immutable once built; read by any number of threads. {@link #close()} frees the memory at once:
 * the owner calls it only when no pipeline can look it up any more.
 */
public final class TargetList implements AutoCloseable {
    static final int SLOT_LENGTH = 16;
    static final int SLOT_DATA_OFFSET = 8;
    static final int SLOT_INFO_OFFSET = 12;
    static final long EMPTY_KEY = -1L;

    static final int KIND_SHIFT = 30;
    static final int COUNT_MASK = (1 << KIND_SHIFT) - 1;
    static final int KIND_SMALL = 0;
    static final int KIND_INDEXED = 1;
    static final int KIND_BITMAP = 2;

    /** Runs of dense chunks kept as flat bitmaps; more would make the run table outgrow L1. */
    public static final int MAX_RANGES = 256;

    static final int CHUNK_BITS = 16;
    static final int POSITION_MASK = (1 << CHUNK_BITS) - 1;
    static final int SMALL_MAX_ENTRIES = 32;
    static final int INDEX_ENTRIES = 257;
    static final int INDEX_LENGTH = INDEX_ENTRIES * 2;
    static final int BITMAP_LENGTH = (1 << CHUNK_BITS) / 8;

    /** Fibonacci hashing spreads consecutive chunk keys (a dense number block) over the directory. */
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final String name;
    private final IdentityKind kind;
    private final long size;
    private final int chunks;
    private final ByteBuffer directoryMemory;
    private final ByteBuffer dataMemory;
    private final UnsafeBuffer directory;
    private final UnsafeBuffer data;
    private final int slotMask;
    private final int hashShift;
    /** First chunk key of each range, padded to a power of two with Long.MAX_VALUE; sorted. */
    private final long[] rangeStarts;
    private final long[] rangeChunks;
    private final int[] rangeOffsets;
    private final int ranges;
    private boolean closed;

    TargetList(final String name, final IdentityKind kind, final long size, final int chunks,
        final ByteBuffer directoryMemory, final ByteBuffer dataMemory, final long[] rangeStarts,
        final long[] rangeChunks, final int[] rangeOffsets, final int ranges) {
        this.name = name;
        this.kind = kind;
        this.size = size;
        this.chunks = chunks;
        this.directoryMemory = directoryMemory;
        this.dataMemory = dataMemory;
        this.directory = new UnsafeBuffer(directoryMemory);
        this.data = new UnsafeBuffer(dataMemory);
        final int slots = directoryMemory.capacity() / SLOT_LENGTH;
        this.slotMask = slots - 1;
        this.hashShift = 64 - Integer.numberOfTrailingZeros(slots);
        this.rangeStarts = rangeStarts;
        this.rangeChunks = rangeChunks;
        this.rangeOffsets = rangeOffsets;
        this.ranges = ranges;
    }

    static int slot(final long chunkKey, final int hashShift) {
        return (int) ((chunkKey * GOLDEN) >>> hashShift);
    }

    /**
     * True when the packed digit string is on the list. Any value that is not a digit string of this
     * list's kind (none, invalid, wrong length) is simply not a member.
     */
    public boolean contains(final long packed) {
        if (packed <= 0) {
            return false;
        }
        final long chunkKey = packed >>> CHUNK_BITS;
        final int position = (int) packed & POSITION_MASK;

        // the run whose start is the last one <= chunkKey; branch-free steps over a padded table
        final long[] starts = rangeStarts;
        int r = 0;
        for (int step = starts.length >>> 1; step > 0; step >>>= 1) {
            r = starts[r + step] <= chunkKey ? r + step : r;
        }
        final long inRange = chunkKey - starts[r];
        if (inRange >= 0 && inRange < rangeChunks[r]) {
            final int word = rangeOffsets[r] + (int) inRange * BITMAP_LENGTH + ((position >>> 6) << 3);
            return (data.getLong(word) >>> (position & 63) & 1L) != 0;
        }

        return directoryContains(chunkKey, position);
    }

    /** Chunks outside the ranges; kept out of {@link #contains} so the range path stays small enough to inline. */
    private boolean directoryContains(final long chunkKey, final int position) {
        int slot = (int) ((chunkKey * GOLDEN) >>> hashShift);
        for (int probes = 0; probes <= slotMask; probes++) {
            final int at = slot * SLOT_LENGTH;
            final long key = directory.getLong(at);
            if (key == chunkKey) {
                return containerContains(directory.getInt(at + SLOT_DATA_OFFSET),
                    directory.getInt(at + SLOT_INFO_OFFSET), position);
            }
            if (key == EMPTY_KEY) {
                return false;
            }
            slot = (slot + 1) & slotMask;
        }
        return false;
    }

    private boolean containerContains(final int offset, final int info, final int position) {
        final int count = info & COUNT_MASK;
        switch (info >>> KIND_SHIFT) {
            case KIND_BITMAP:
                return (data.getLong(offset + ((position >>> 6) << 3)) >>> (position & 63) & 1L) != 0;
            case KIND_INDEXED: {
                final int high = position >>> 8;
                final int low = position & 0xFF;
                final int from = data.getShort(offset + high * 2) & 0xFFFF;
                final int to = data.getShort(offset + high * 2 + 2) & 0xFFFF;
                final int lows = offset + INDEX_LENGTH;
                for (int i = from; i < to; i++) {
                    final int v = data.getByte(lows + i) & 0xFF;
                    if (v >= low) {
                        return v == low;
                    }
                }
                return false;
            }
            default: {
                for (int i = 0; i < count; i++) {
                    final int v = data.getShort(offset + i * 2) & 0xFFFF;
                    if (v >= position) {
                        return v == position;
                    }
                }
                return false;
            }
        }
    }

    public String name() {
        return name;
    }

    public IdentityKind kind() {
        return kind;
    }

    /** Distinct entries. */
    public long size() {
        return size;
    }

    /** Chunks of 65 536 numbers the list touches. */
    public int chunks() {
        return chunks;
    }

    /** Off-heap bytes of containers and range bitmaps. */
    long dataBytes() {
        return dataMemory.capacity();
    }

    /** Runs of chunks held as flat bitmaps. */
    public int ranges() {
        return ranges;
    }

    /** Bytes held: off-heap directory and containers, plus the small on-heap range table. */
    public long memoryBytes() {
        return (long) directoryMemory.capacity() + dataMemory.capacity() + rangeStarts.length * 20L;
    }

    /**
     * Frees the off-heap memory; idempotent. The list must not be looked up afterwards: a lookup then
     * reads an empty stand-in and fails with an IndexOutOfBoundsException rather than freed memory,
     * but a lookup racing with close is not guarded against (the owner's job, see the class doc).
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            directory.wrap(new byte[SLOT_LENGTH]);
            data.wrap(new byte[8]);
            BufferUtil.free(directoryMemory);
            BufferUtil.free(dataMemory);
        }
    }

    @Override
    public String toString() {
        return "TargetList{" + name + ", " + kind.jsonName + ", " + size + " entries, " + chunks + " chunks, "
            + ranges + " ranges, " + memoryBytes() + " bytes}";
    }
}
