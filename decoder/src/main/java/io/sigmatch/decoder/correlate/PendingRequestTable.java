package io.sigmatch.decoder.correlate;

import io.sigmatch.decoder.SignalingMessage;

/**
 * Requests waiting for their answer: each holds a copy of the request's {@link SignalingMessage}
 * (preallocated, refilled in place), the capture time by which the answer must come, and a few
 * protocol-defined {@code long} attachments (a GTP decoder keeps the TEID key the request was
 * addressed to; a Diameter one could keep a Session-Id hash).
 *
 * <p>The key is whatever identifies the exchange in the protocol, folded into a {@code long}:
 * GTP sequence number + peer pair + originating side, Diameter hop-by-hop id + connection, TCAP
 * originating transaction id + SCCP addresses, SIP Call-ID hash + CSeq.
 *
 * <p>Layout: entries live in a ring in arrival order, so the oldest request — the first to time
 * out, and the one to drop when the table is full — is always at the head and expiry costs
 * O(expired), not a scan. An open-addressing index (long key to ring position, backward-shift
 * deletion, twice the ring's size) finds an entry by key. An entry answered out of order leaves a
 * hole that is reclaimed when the head passes it, so the ring counts as full when it wraps onto a
 * still-pending head even if holes sit behind it; size the capacity for the answer timeout times
 * the request rate.
 *
 * <p>Single-threaded; nothing is allocated after construction.
 */
public final class PendingRequestTable {
    private static final int EMPTY = -1;

    private final int ringMask;
    private final int attachments;
    private final SignalingMessage[] messages;
    private final long[] keys;
    private final long[] deadlineNs;
    private final boolean[] live;
    private final long[] attached;
    private long head;
    private long tail;
    private int size;

    private final int indexMask;
    private final long[] indexKeys;
    private final int[] indexSlots;

    /**
     * @param capacity    how many requests may wait at once (rounded up to a power of two)
     * @param attachments how many protocol-defined longs each entry carries (0..16)
     */
    public PendingRequestTable(final int capacity, final int attachments) {
        if (capacity < 1 || capacity > 1 << 24) {
            throw new IllegalArgumentException("capacity must be in 1..2^24: " + capacity);
        }
        if (attachments < 0 || attachments > 16) {
            throw new IllegalArgumentException("attachments must be in 0..16: " + attachments);
        }
        final int ring = capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1;
        ringMask = ring - 1;
        this.attachments = attachments;
        messages = new SignalingMessage[ring];
        for (int i = 0; i < ring; i++) {
            messages[i] = new SignalingMessage();
        }
        keys = new long[ring];
        deadlineNs = new long[ring];
        live = new boolean[ring];
        attached = new long[ring * Math.max(attachments, 1)];
        final int indexSize = ring * 2;
        indexMask = indexSize - 1;
        indexKeys = new long[indexSize];
        indexSlots = new int[indexSize];
        java.util.Arrays.fill(indexSlots, EMPTY);
    }

    public int capacity() {
        return ringMask + 1;
    }

    /** Requests still waiting. */
    public int size() {
        return size;
    }

    /** True when {@link #insert} would fail: the oldest must be completed and removed first. */
    public boolean isFull() {
        return tail - head > ringMask;
    }

    /**
     * Adds a request; the caller then fills {@link #message(int)} and the attachments. Returns the
     * entry's slot, or -1 when the table is full or the key is already waiting (check with
     * {@link #find} first: a retransmitted request keeps its first copy).
     */
    public int insert(final long key, final long deadline) {
        if (isFull() || find(key) >= 0) {
            return -1;
        }
        final int slot = (int) (tail & ringMask);
        tail++;
        keys[slot] = key;
        deadlineNs[slot] = deadline;
        live[slot] = true;
        messages[slot].reset();
        final int base = slot * attachments;
        for (int i = 0; i < attachments; i++) {
            attached[base + i] = 0;
        }
        indexPut(key, slot);
        size++;
        return slot;
    }

    /** The slot of the waiting request with this key, or -1. */
    public int find(final long key) {
        int i = indexHome(key);
        for (int probes = 0; probes <= indexMask; probes++) {
            final int slot = indexSlots[i];
            if (slot == EMPTY) {
                return -1;
            }
            if (indexKeys[i] == key) {
                return slot;
            }
            i = (i + 1) & indexMask;
        }
        return -1;
    }

    /** The stored copy of the request: fill it after {@link #insert}, read it before {@link #remove}. */
    public SignalingMessage message(final int slot) {
        return messages[slot];
    }

    public long key(final int slot) {
        return keys[slot];
    }

    public long deadlineNs(final int slot) {
        return deadlineNs[slot];
    }

    public long attachment(final int slot, final int i) {
        checkAttachment(i);
        return attached[slot * attachments + i];
    }

    public void attachment(final int slot, final int i, final long value) {
        checkAttachment(i);
        attached[slot * attachments + i] = value;
    }

    /** The oldest waiting request (first to time out), or -1 when none waits. */
    public int oldest() {
        return size == 0 ? -1 : (int) (head & ringMask);
    }

    /** The oldest waiting request if its deadline is at or before {@code nowNs}, else -1. */
    public int oldestExpired(final long nowNs) {
        final int slot = oldest();
        return slot >= 0 && deadlineNs[slot] <= nowNs ? slot : -1;
    }

    /** Forgets a waiting request (answered, timed out or dropped). */
    public void remove(final int slot) {
        if (!live[slot]) {
            return;
        }
        live[slot] = false;
        indexRemove(keys[slot], slot);
        size--;
        while (head < tail && !live[(int) (head & ringMask)]) {
            head++;
        }
    }

    private void checkAttachment(final int i) {
        if (i < 0 || i >= attachments) {
            throw new IndexOutOfBoundsException("attachment " + i + " of " + attachments);
        }
    }

    private void indexPut(final long key, final int slot) {
        int i = indexHome(key);
        while (indexSlots[i] != EMPTY) {
            i = (i + 1) & indexMask;
        }
        indexKeys[i] = key;
        indexSlots[i] = slot;
    }

    private void indexRemove(final long key, final int slot) {
        int i = indexHome(key);
        int probes = 0;
        while (indexKeys[i] != key || indexSlots[i] != slot) {
            if (indexSlots[i] == EMPTY || ++probes > indexMask) {
                return;
            }
            i = (i + 1) & indexMask;
        }
        // backward-shift deletion keeps probe chains unbroken without tombstones
        int hole = i;
        int next = (hole + 1) & indexMask;
        while (indexSlots[next] != EMPTY) {
            final int nextHome = indexHome(indexKeys[next]);
            final boolean stays = hole <= next ? hole < nextHome && nextHome <= next : hole < nextHome || nextHome <= next;
            if (!stays) {
                indexKeys[hole] = indexKeys[next];
                indexSlots[hole] = indexSlots[next];
                hole = next;
            }
            next = (next + 1) & indexMask;
        }
        indexSlots[hole] = EMPTY;
    }

    private int indexHome(final long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        return (int) h & indexMask;
    }

    @Override
    public String toString() {
        return "PendingRequestTable{size=" + size + ", capacity=" + capacity() + '}';
    }
}
