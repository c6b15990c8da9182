package io.sigmatch.decoder.correlate;

import io.sigmatch.decoder.Digits;

/**
 * A bounded map from a radio-side UE handle, folded into a {@code long} (an S1AP MME-UE-S1AP-ID
 * with its MME, an eNB-UE-S1AP-ID with its association, NGAP's AMF/RAN UE ids, a GUTI or 5G-S-TMSI),
 * to what is known of that UE: IMSI, IMEI, IMEISV, the temporary identity (GUTI key) it was given,
 * its last cell (PLMN, TAC, cell identity), a few protocol-defined flag bits (e.g. "NAS security
 * context uses the null cipher"), and an event waiting for the subscriber to become known.
 *
 * <p>The same mechanics as {@link SubscriberTable} — open addressing over parallel primitive
 * arrays, backward-shift deletion, idle expiry by capture time, sampled-LRU eviction when full —
 * with the radio-side fields beside the identities. Single-threaded, nothing allocated after
 * construction; {@link #toString} reveals counts only.
 */
public final class UeContextTable {
    public static final int EVICTION_SAMPLE = 8;
    public static final int MAX_SLOTS = 1 << 26;

    private final int mask;
    private final int maxEntries;
    private final long idleExpiryNs;

    private final long[] keys;
    private final boolean[] used;
    private final long[] imsi;
    private final long[] imei;
    private final long[] imeisv;
    private final long[] tmsiKey;
    private final long[] cellPlmn;
    private final int[] tac;
    private final long[] cellId;
    private final int[] flags;
    private final int[] pending;
    private final long[] lastSeenNs;

    private int size;
    private int sweepCursor;
    private long evictions;
    private long expirations;

    public UeContextTable(final int maxEntries, final long idleExpiryNs) {
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
        mask = slots - 1;
        this.maxEntries = maxEntries;
        this.idleExpiryNs = idleExpiryNs;
        keys = new long[slots];
        used = new boolean[slots];
        imsi = new long[slots];
        imei = new long[slots];
        imeisv = new long[slots];
        tmsiKey = new long[slots];
        cellPlmn = new long[slots];
        tac = new int[slots];
        cellId = new long[slots];
        flags = new int[slots];
        pending = new int[slots];
        lastSeenNs = new long[slots];
    }

    public int size() {
        return size;
    }

    public int slotCount() {
        return mask + 1;
    }

    public long evictions() {
        return evictions;
    }

    public long expirations() {
        return expirations;
    }

    /** The slot of {@code key}, or -1 when absent or idle past the expiry (then removed); a hit refreshes it. */
    public int find(final long key, final long nowNs) {
        int slot = home(key);
        for (int probes = 0; probes <= mask; probes++) {
            if (!used[slot]) {
                return -1;
            }
            if (keys[slot] == key) {
                if (nowNs - lastSeenNs[slot] > idleExpiryNs) {
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

    /** The slot of {@code key}, inserting an empty entry when absent (a full table evicts one first). */
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
        clearSlot(slot);
        lastSeenNs[slot] = nowNs;
        size++;
        return slot;
    }

    /** Empties an entry's contents, keeping its key: a new UE connection reusing a handle. */
    public void clearSlot(final int slot) {
        imsi[slot] = Digits.NONE;
        imei[slot] = Digits.NONE;
        imeisv[slot] = Digits.NONE;
        tmsiKey[slot] = 0;
        cellPlmn[slot] = Digits.NONE;
        tac[slot] = 0;
        cellId[slot] = -1;
        flags[slot] = 0;
        pending[slot] = 0;
    }

    /** Copies the contents of one entry into another (a second handle of the same UE). */
    public void copy(final int from, final int to) {
        imsi[to] = imsi[from];
        imei[to] = imei[from];
        imeisv[to] = imeisv[from];
        tmsiKey[to] = tmsiKey[from];
        cellPlmn[to] = cellPlmn[from];
        tac[to] = tac[from];
        cellId[to] = cellId[from];
        flags[to] = flags[from];
        pending[to] = pending[from];
    }

    /** Records identities; {@link Digits#NONE} leaves a field as it was. */
    public void merge(final int slot, final long imsiValue, final long imeiValue, final long imeisvValue) {
        if (imsiValue != Digits.NONE) {
            imsi[slot] = imsiValue;
        }
        if (imeiValue != Digits.NONE) {
            imei[slot] = imeiValue;
        }
        if (imeisvValue != Digits.NONE) {
            imeisv[slot] = imeisvValue;
        }
    }

    public void tmsiKey(final int slot, final long key) {
        tmsiKey[slot] = key;
    }

    public void cell(final int slot, final long plmn, final int tacValue, final long cell) {
        cellPlmn[slot] = plmn;
        tac[slot] = tacValue;
        cellId[slot] = cell;
    }

    public void flags(final int slot, final int value) {
        flags[slot] = value;
    }

    public void pending(final int slot, final int value) {
        pending[slot] = value;
    }

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

    public boolean used(final int slot) {
        return used[slot];
    }

    public long key(final int slot) {
        return keys[slot];
    }

    public long imsi(final int slot) {
        return imsi[slot];
    }

    public long imei(final int slot) {
        return imei[slot];
    }

    public long imeisv(final int slot) {
        return imeisv[slot];
    }

    public long tmsiKey(final int slot) {
        return tmsiKey[slot];
    }

    /** Packed PLMN of the last cell, {@link Digits#NONE} when no cell is known. */
    public long cellPlmn(final int slot) {
        return cellPlmn[slot];
    }

    public int tac(final int slot) {
        return tac[slot];
    }

    /** ECI or NCI of the last cell, -1 when none. */
    public long cellId(final int slot) {
        return cellId[slot];
    }

    public int flags(final int slot) {
        return flags[slot];
    }

    public int pending(final int slot) {
        return pending[slot];
    }

    /** Removes up to {@code maxSlots} slots' worth of idle entries, from where the last sweep stopped. */
    public int sweep(final long nowNs, final int maxSlots) {
        int removed = 0;
        final int n = Math.min(maxSlots, mask + 1);
        for (int i = 0; i < n; i++) {
            final int slot = sweepCursor;
            if (used[slot] && nowNs - lastSeenNs[slot] > idleExpiryNs) {
                deleteSlot(slot);
                removed++;
                continue;
            }
            sweepCursor = (sweepCursor + 1) & mask;
        }
        expirations += removed;
        return removed;
    }

    private void evictOne(final int from, final long nowNs) {
        int victim = -1;
        long oldest = Long.MAX_VALUE;
        int seen = 0;
        int slot = from;
        for (int probes = 0; probes <= mask && seen < EVICTION_SAMPLE; probes++) {
            if (used[slot]) {
                seen++;
                if (nowNs - lastSeenNs[slot] > idleExpiryNs) {
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

    private void deleteSlot(final int slot) {
        int hole = slot;
        int next = (hole + 1) & mask;
        while (used[next]) {
            final int nextHome = home(keys[next]);
            final boolean stays = hole <= next ? hole < nextHome && nextHome <= next : hole < nextHome || nextHome <= next;
            if (!stays) {
                keys[hole] = keys[next];
                copy(next, hole);
                lastSeenNs[hole] = lastSeenNs[next];
                used[hole] = true;
                hole = next;
            }
            next = (next + 1) & mask;
        }
        used[hole] = false;
        size--;
    }

    private int home(final long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        return (int) h & mask;
    }

    @Override
    public String toString() {
        return "UeContextTable{size=" + size + ", maxEntries=" + maxEntries + ", evictions=" + evictions
            + ", expirations=" + expirations + '}';
    }
}
