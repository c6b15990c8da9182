package io.sigmatch.decoder.dissect;

import io.netty.buffer.ByteBuf;

/**
 * Fixed-size chunks of {@value #CHUNK_BYTES} bytes for the stream and message reassemblers, linked
 * into chains through an int array: a flow or a fragment takes chunks only for the bytes it holds.
 * The total is bounded by the budget given at construction; the bytes themselves are allocated in
 * slabs of {@value #SLAB_BYTES} bytes the first time a chunk of a slab is needed, so a dissector
 * that never sees TCP costs nothing and a busy one reaches a steady state with no allocation.
 */
final class ChunkPool {
    static final int CHUNK_BYTES = 256;
    static final int CHUNK_SHIFT = 8;
    static final int CHUNK_MASK = CHUNK_BYTES - 1;
    private static final int SLAB_BYTES = 1 << 20;
    private static final int SLAB_SHIFT = 20 - CHUNK_SHIFT;
    private static final int CHUNKS_PER_SLAB = 1 << SLAB_SHIFT;

    private final byte[][] slabs;
    private final int[] next;
    private final int capacity;
    private int freeHead = -1;
    private int allocatedChunks;
    private int inUse;

    ChunkPool(final int budgetBytes) {
        capacity = Math.max(1, budgetBytes >>> CHUNK_SHIFT);
        next = new int[capacity];
        slabs = new byte[(capacity + CHUNKS_PER_SLAB - 1) / CHUNKS_PER_SLAB][];
    }

    /** A free chunk (its next is -1), or -1 when the budget is used up. */
    int allocate() {
        int c = freeHead;
        if (c >= 0) {
            freeHead = next[c];
        } else if (allocatedChunks < capacity) {
            c = allocatedChunks++;
            final int slab = c >>> SLAB_SHIFT;
            if (slabs[slab] == null) {
                slabs[slab] = new byte[Math.min(SLAB_BYTES, (capacity - (slab << SLAB_SHIFT)) << CHUNK_SHIFT)];
            }
        } else {
            return -1;
        }
        next[c] = -1;
        inUse++;
        return c;
    }

    /** Frees a whole chain starting at head (-1: nothing). */
    void freeChain(final int head) {
        int c = head;
        while (c >= 0) {
            final int n = next[c];
            next[c] = freeHead;
            freeHead = c;
            inUse--;
            c = n;
        }
    }

    /** Frees one chunk and returns the next of its chain. */
    int freeOne(final int c) {
        final int n = next[c];
        next[c] = freeHead;
        freeHead = c;
        inUse--;
        return n;
    }

    int next(final int c) {
        return next[c];
    }

    void link(final int c, final int successor) {
        next[c] = successor;
    }

    int inUse() {
        return inUse;
    }

    int free() {
        return capacity - inUse;
    }

    /** Copies n bytes (within one chunk) from the buffer into chunk c at position at. */
    void write(final int c, final int at, final ByteBuf src, final int srcIndex, final int n) {
        src.getBytes(srcIndex, slabs[c >>> SLAB_SHIFT], ((c & (CHUNKS_PER_SLAB - 1)) << CHUNK_SHIFT) + at, n);
    }

    /** Copies n bytes (within one chunk) from chunk c at position at into dst. */
    void read(final int c, final int at, final byte[] dst, final int dstIndex, final int n) {
        System.arraycopy(slabs[c >>> SLAB_SHIFT], ((c & (CHUNKS_PER_SLAB - 1)) << CHUNK_SHIFT) + at, dst, dstIndex, n);
    }

    /** Copies n bytes of the chain starting at chunk head, position at (may exceed one chunk), into dst. */
    void readChain(final int head, final int at, final byte[] dst, final int dstIndex, final int n) {
        int c = head;
        int pos = at;
        while (pos >= CHUNK_BYTES) {
            c = next[c];
            pos -= CHUNK_BYTES;
        }
        int done = 0;
        while (done < n) {
            final int k = Math.min(n - done, CHUNK_BYTES - pos);
            read(c, pos, dst, dstIndex + done, k);
            done += k;
            pos = 0;
            c = next[c];
        }
    }

    /** Bytes of heap the pool holds now (slabs allocated so far plus the chain array). */
    long heapBytes() {
        long n = (long) next.length * 4;
        for (final byte[] s : slabs) {
            if (s != null) {
                n += s.length;
            }
        }
        return n;
    }
}
