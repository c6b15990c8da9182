package io.sigmatch.decoder.sigtran;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Reassembles segmented XUDT/LUDT user data (ITU-T Q.714 §4.1.1.2): the first segment carries
 * F = 1 and the number of segments still to come, each later one one less, down to 0; all carry
 * the same local reference from the same calling party. Memory is fixed at construction: a pool
 * of {@code slots} reassemblies of at most {@code maxBytes} each, in one heap buffer. A new
 * reassembly when all are in use takes the oldest slot (counted by the caller as evicted), a
 * reassembly whose segments stop coming is dropped after the timeout (Q.714 T(reassembly)), so
 * a flood of first segments can neither grow memory nor keep a legitimate message from completing
 * for longer than the pool turns over.
 *
 * <p>Single-threaded; nothing is allocated after construction.
 */
final class SccpReassembly {
    static final int STARTED = 1;
    static final int CONTINUED = 2;
    static final int COMPLETE = 3;
    static final int ORPHAN = -1;
    static final int OUT_OF_SEQUENCE = -2;
    static final int TOO_LONG = -3;

    private final int maxBytes;
    private final long timeoutNs;
    private final long[] keys;
    private final int[] filled;
    private final int[] remaining;
    private final long[] startedNs;
    private final boolean[] used;
    private final ByteBuf data;
    private long evictions;
    private long expirations;
    private int completed = -1;

    SccpReassembly(final int slots, final int maxBytes, final long timeoutNs) {
        this.maxBytes = maxBytes;
        this.timeoutNs = timeoutNs;
        keys = new long[slots];
        filled = new int[slots];
        remaining = new int[slots];
        startedNs = new long[slots];
        used = new boolean[slots];
        data = Unpooled.wrappedBuffer(new byte[slots * maxBytes]);
    }

    /**
     * Adds one segment. Returns {@link #COMPLETE} when it was the last one (the whole message is
     * then at {@link #buffer()}, {@link #offset()}, {@link #length()} until the next call), a
     * positive progress status, or a negative status when the segment was dropped.
     */
    int add(final long key, final boolean first, final int remainingAfter, final ByteBuf buf, final int at,
        final int length, final long nowNs) {
        if (completed >= 0) {
            used[completed] = false;
            completed = -1;
        }
        int slot = find(key);
        if (first) {
            if (slot < 0) {
                slot = take(nowNs);
            }
            keys[slot] = key;
            used[slot] = true;
            filled[slot] = 0;
            startedNs[slot] = nowNs;
        } else if (slot < 0) {
            return ORPHAN;
        } else if (remainingAfter != remaining[slot] - 1) {
            used[slot] = false;
            return OUT_OF_SEQUENCE;
        }
        if (length > maxBytes - filled[slot]) {
            used[slot] = false;
            return TOO_LONG;
        }
        data.setBytes(slot * maxBytes + filled[slot], buf, at, length);
        filled[slot] += length;
        remaining[slot] = remainingAfter;
        if (remainingAfter == 0) {
            completed = slot; // kept readable until the next call
            return COMPLETE;
        }
        return first ? STARTED : CONTINUED;
    }

    ByteBuf buffer() {
        return data;
    }

    int offset() {
        return completed * maxBytes;
    }

    int length() {
        return filled[completed];
    }

    /** Drops reassemblies older than the timeout; returns how many. */
    int expire(final long nowNs) {
        int n = 0;
        for (int i = 0; i < used.length; i++) {
            if (used[i] && i != completed && nowNs - startedNs[i] > timeoutNs) {
                used[i] = false;
                n++;
            }
        }
        expirations += n;
        return n;
    }

    int inProgress() {
        int n = 0;
        for (int i = 0; i < used.length; i++) {
            if (used[i] && i != completed) {
                n++;
            }
        }
        return n;
    }

    long evictions() {
        return evictions;
    }

    private int find(final long key) {
        for (int i = 0; i < keys.length; i++) {
            if (used[i] && keys[i] == key) {
                return i;
            }
        }
        return -1;
    }

    /** A free slot, or the oldest one (evicted). */
    private int take(final long nowNs) {
        int oldest = 0;
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                return i;
            }
            if (startedNs[i] < startedNs[oldest]) {
                oldest = i;
            }
        }
        evictions++;
        return oldest;
    }
}
