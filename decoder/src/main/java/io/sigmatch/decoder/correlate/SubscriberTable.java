package io.sigmatch.decoder.correlate;

import io.sigmatch.decoder.Digits;

/**
 * A bounded map from a protocol's session handle, folded into a {@code long} (a GTP TEID with
 * the address of the node that allocated it, a hashed Diameter Session-Id, S1AP UE ids, a TCAP
 * transaction id, a SIP Call-ID hash), to the subscriber it belongs to: IMSI, MSISDN, IMEI and
 * IMEISV as {@link Digits}-packed longs, plus when the handle was last seen.
 *
 * <p>Layout: open addressing with linear probing over parallel primitive arrays (no entry
 * objects, no boxing, nothing allocated after construction); deletion shifts the following
 * entries back so there are no tombstones and probe chains stay short. The table never grows:
 *
 * <ul>
 *   <li>an entry not seen for {@code idleExpiryNs} of capture time is gone: {@link #find} treats it
 *       as absent and removes it, and {@link #sweep} reclaims such entries a few slots at a time;</li>
 *   <li>when the table holds {@code maxEntries}, {@link #put} evicts the least recently seen of the
 *       next {@link #EVICTION_SAMPLE} occupied slots (sampled LRU, bounded work per insert).</li>
 * </ul>
 *
 * <p>An entry also counts the sessions that hold it ({@link #retain}/{@link #release}): on GTP's
 * S11 one TEID pair serves every PDN connection of the UE, so deleting one PDN connection must not
 * forget the subscriber while another still uses the TEID.
 *
 * <p>Single-threaded: one decoding thread owns a table. Identities are personal data, so
 * {@link #toString} reveals counts only.
 */
public final class SubscriberTable {
    /** How many occupied slots an eviction looks at to find the least recently seen one. */
    public static final int EVICTION_SAMPLE = 8;
    /** The largest number of slots a table may have (2^26: about 3.5 GB of arrays). */
    public static final int MAX_SLOTS = 1 << 26;

    private final int mask;
    private final int maxEntries;
    private final long idleExpiryNs;

    private final long[] keys;
    private final boolean[] used;
    private final long[] imsi;
    private final long[] msisdn;
    private final long[] imei;
    private final long[] imeisv;
    private final long[] lastSeenNs;
    private final int[] sessions;

    private int size;
    private int sweepCursor;
    private long evictions;
    private long expirations;

    /**
     * @param maxEntries   how many subscribers' handles the table keeps at most; the slot array
     *                     is the next power of two at least 4/3 of this (load factor 0.75)
     * @param idleExpiryNs capture time after which an entry not seen is forgotten
     */
    public SubscriberTable(final int maxEntries, final long idleExpiryNs) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        }
        if (idleExpiryNs <= 0) {
            throw new IllegalArgumentException("idleExpiryNs must be positive: " + idleExpiryNs);
        }
        final long wanted = Math.max(2L, (maxEntries * 4L + 2) / 3);
        if (wanted > MAX_SLOTS) {
            throw new IllegalArgumentException("maxEntries too large: " + maxEntries);
        }
        final int slots = Integer.highestOneBit((int) wanted - 1) << 1;
        this.mask = slots - 1;
        this.maxEntries = maxEntries;
        this.idleExpiryNs = idleExpiryNs;
        keys = new long[slots];
        used = new boolean[slots];
        imsi = new long[slots];
        msisdn = new long[slots];
        imei = new long[slots];
        imeisv = new long[slots];
        lastSeenNs = new long[slots];
        sessions = new int[slots];
    }

    public int size() {
        return size;
    }

    public int maxEntries() {
        return maxEntries;
    }

    public int slotCount() {
        return mask + 1;
    }

    /** Entries dropped to make room since construction. */
    public long evictions() {
        return evictions;
    }

    /** Entries forgotten because they were idle too long, since construction. */
    public long expirations() {
        return expirations;
    }

    /**
     * The slot holding {@code key}, or -1 when absent or idle past the expiry (such an entry is
     * removed). A hit refreshes the entry's last-seen time to {@code nowNs}.
     */
    public int find(final long key, final long nowNs) {
        int slot = home(key);
        for (int probes = 0; probes <= mask; probes++) {
            if (!used[slot]) {
                return -1;
            }
            if (keys[slot] == key) {
                if (expired(slot, nowNs)) {
                    deleteSlot(slot);
                    expirations++;
                    return -1;
                }
                if (nowNs > lastSeenNs[slot]) {
                    lastSeenNs[slot] = nowNs;
                }
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /**
     * The slot for {@code key}, inserting an empty entry (no identities, no sessions) when absent.
     * Never fails: a full table first evicts one entry. Returns a slot valid until the next
     * mutating call.
     */
    public int put(final long key, final long nowNs) {
        final int found = find(key, nowNs);
        if (found >= 0) {
            return found;
        }
        if (size >= maxEntries) {
            evictOne(home(key), nowNs);
        }
        int slot = home(key);
        while (used[slot]) {
            slot = (slot + 1) & mask;
        }
        used[slot] = true;
        keys[slot] = key;
        imsi[slot] = Digits.NONE;
        msisdn[slot] = Digits.NONE;
        imei[slot] = Digits.NONE;
        imeisv[slot] = Digits.NONE;
        sessions[slot] = 0;
        lastSeenNs[slot] = nowNs;
        size++;
        return slot;
    }

    /** Records identities for an entry; {@link Digits#NONE} leaves a field as it was. */
    public void merge(final int slot, final long imsiValue, final long msisdnValue, final long imeiValue,
        final long imeisvValue) {
        if (imsiValue != Digits.NONE) {
            imsi[slot] = imsiValue;
        }
        if (msisdnValue != Digits.NONE) {
            msisdn[slot] = msisdnValue;
        }
        if (imeiValue != Digits.NONE) {
            imei[slot] = imeiValue;
        }
        if (imeisvValue != Digits.NONE) {
            imeisv[slot] = imeisvValue;
        }
    }

    /** One more session holds this entry. */
    public void retain(final int slot) {
        if (sessions[slot] < Integer.MAX_VALUE) {
            sessions[slot]++;
        }
    }

    /**
     * One session that held {@code key} has ended; the entry is removed when no session holds it
     * any more. Returns true when the entry was removed.
     */
    public boolean release(final long key, final long nowNs) {
        final int slot = find(key, nowNs);
        if (slot < 0) {
            return false;
        }
        if (sessions[slot] > 1) {
            sessions[slot]--;
            return false;
        }
        deleteSlot(slot);
        return true;
    }

    /** Removes {@code key} whatever holds it; true when it was present. */
    public boolean remove(final long key) {
        int slot = home(key);
        for (int probes = 0; probes <= mask; probes++) {
            if (!used[slot]) {
                return false;
            }
            if (keys[slot] == key) {
                deleteSlot(slot);
                return true;
            }
            slot = (slot + 1) & mask;
        }
        return false;
    }

    public long key(final int slot) {
        return keys[slot];
    }

    public long imsi(final int slot) {
        return imsi[slot];
    }

    public long msisdn(final int slot) {
        return msisdn[slot];
    }

    public long imei(final int slot) {
        return imei[slot];
    }

    public long imeisv(final int slot) {
        return imeisv[slot];
    }

    public long lastSeenNs(final int slot) {
        return lastSeenNs[slot];
    }

    public int sessions(final int slot) {
        return sessions[slot];
    }

    /**
     * Looks at up to {@code maxSlots} slots from where the previous sweep stopped and removes the
     * entries idle past the expiry. Bounded work per call, so a decoder can sweep on every
     * {@code advanceTime} without a pause. Returns the number removed.
     */
    public int sweep(final long nowNs, final int maxSlots) {
        int removed = 0;
        final int n = Math.min(maxSlots, mask + 1);
        for (int i = 0; i < n; i++) {
            final int slot = sweepCursor;
            if (used[slot] && expired(slot, nowNs)) {
                deleteSlot(slot);
                removed++;
                // the backward shift may have moved another entry into this slot: look again
                continue;
            }
            sweepCursor = (sweepCursor + 1) & mask;
        }
        expirations += removed;
        return removed;
    }

    /** Forgets everything. */
    public void clear() {
        java.util.Arrays.fill(used, false);
        size = 0;
        sweepCursor = 0;
    }

    private boolean expired(final int slot, final long nowNs) {
        return nowNs - lastSeenNs[slot] > idleExpiryNs;
    }

    private void evictOne(final int from, final long nowNs) {
        int victim = -1;
        long oldest = Long.MAX_VALUE;
        int seen = 0;
        int slot = from;
        for (int probes = 0; probes <= mask && seen < EVICTION_SAMPLE; probes++) {
            if (used[slot]) {
                seen++;
                if (expired(slot, nowNs)) {
                    victim = slot;
                    break;
                }
                if (lastSeenNs[slot] < oldest) {
                    oldest = lastSeenNs[slot];
                    victim = slot;
                }
            }
            slot = (slot + 1) & mask;
        }
        if (victim >= 0) {
            deleteSlot(victim);
            evictions++;
        }
    }

    /** Backward-shift deletion (Knuth 6.4 algorithm R): keeps every probe chain unbroken. */
    private void deleteSlot(final int slot) {
        int hole = slot;
        int next = (hole + 1) & mask;
        while (used[next]) {
            final int nextHome = home(keys[next]);
            // move next into the hole unless its home lies cyclically in (hole, next]
            final boolean stays = hole <= next ? hole < nextHome && nextHome <= next : hole < nextHome || nextHome <= next;
            if (!stays) {
                moveSlot(next, hole);
                hole = next;
            }
            next = (next + 1) & mask;
        }
        used[hole] = false;
        size--;
    }

    private void moveSlot(final int from, final int to) {
        keys[to] = keys[from];
        imsi[to] = imsi[from];
        msisdn[to] = msisdn[from];
        imei[to] = imei[from];
        imeisv[to] = imeisv[from];
        lastSeenNs[to] = lastSeenNs[from];
        sessions[to] = sessions[from];
        used[to] = true;
    }

    private int home(final long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        return (int) h & mask;
    }

    /** Counts only: the identities held here are personal data. */
    @Override
    public String toString() {
        return "SubscriberTable{size=" + size + ", maxEntries=" + maxEntries + ", evictions=" + evictions
            + ", expirations=" + expirations + '}';
    }
}
