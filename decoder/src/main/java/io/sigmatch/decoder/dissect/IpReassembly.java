package io.sigmatch.decoder.dissect;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * IPv4 (RFC 791 3.2, RFC 815) and IPv6 (RFC 8200 4.5) fragment reassembly in memory fixed at
 * construction: no allocation per fragment, whatever the traffic.
 *
 * <p>Memory: fragment bytes live in a pool of {@value #CHUNK_BYTES}-byte chunks (the budget);
 * a datagram takes chunks only for the byte ranges it has received. Which 8-byte units arrived is a
 * bitmap per datagram (fragment offsets count in 8-byte units in both IP versions). Datagrams are
 * found through a hash table chained through int arrays and kept in a list ordered by first arrival,
 * which is the order they time out in.
 *
 * <p>Policy, every drop counted under {@code dissect.frag.drop.<reason>}:
 * <ul>
 * <li>timeout: a datagram not complete {@code reassemblyTimeoutNs} of capture time after its first
 * fragment is dropped;</li>
 * <li>evicted: when no datagram slot or no chunk is free the oldest datagram gives way;</li>
 * <li>too_big: a fragment that ends beyond {@code reassemblyMaxDatagramBytes};</li>
 * <li>bad_length: a fragment that is not the last whose length is not a multiple of 8, or an empty one;</li>
 * <li>inconsistent: two different ends, or data beyond the end the last fragment set;</li>
 * <li>overlap: IPv6 fragments that overlap (RFC 5722 discards the whole datagram). IPv4 overlaps
 * keep the bytes that arrived first and are only counted ({@code dissect.frag.overlap});</li>
 * <li>incomplete_at_end: still pending when the input ended.</li>
 * </ul>
 * An exact repeat of received units is a duplicate ({@code dissect.frag.duplicate}) and ignored;
 * fragments of a datagram completed within {@code reassemblyDuplicateWindowNs} are late duplicates
 * ({@code dissect.frag.late_duplicate}) and ignored, so a datagram mirrored twice is delivered once.
 */
public final class IpReassembly {
    static final int CHUNK_BYTES = 2048;
    private static final int CHUNK_SHIFT = 11;
    private static final int RECENT = 64;

    private final int maxDatagrams;
    private final int maxBytes;
    private final long timeoutNs;
    private final long duplicateWindowNs;
    private final int wordsPerDatagram;
    private final int chunksPerDatagram;

    // key of each slot
    private final int[] version;
    private final long[] srcHi;
    private final long[] srcLo;
    private final long[] dstHi;
    private final long[] dstLo;
    private final long[] ident;
    // state of each slot
    private final long[] createdNs;
    private final int[] totalLength;
    private final int[] maxEnd;
    private final int[] protocol;
    private final long[] units;
    private final int[] chunkOf;
    // hash chains, arrival order, free slots
    private final int[] buckets;
    private final int bucketMask;
    private final int[] chainNext;
    private final int[] olderNeighbour;
    private final int[] newerNeighbour;
    private int oldest = -1;
    private int newest = -1;
    private final int[] freeSlots;
    private int freeSlotCount;
    private int active;
    // chunk pool
    private final byte[] pool;
    private final int[] freeChunks;
    private int freeChunkCount;
    // reassembled output
    private final byte[] assemblyBytes;
    private final ByteBuf assembly;
    private int completedProtocol = -1;
    // recently completed keys
    private final int[] recentVersion = new int[RECENT];
    private final long[] recentSrcHi = new long[RECENT];
    private final long[] recentSrcLo = new long[RECENT];
    private final long[] recentDstHi = new long[RECENT];
    private final long[] recentDstLo = new long[RECENT];
    private final long[] recentIdent = new long[RECENT];
    private final int[] recentTotal = new int[RECENT];
    private final long[] recentNs = new long[RECENT];
    private int recentCursor;

    private final AtomicCounter fragments;
    private final AtomicCounter reassembled;
    private final AtomicCounter duplicate;
    private final AtomicCounter lateDuplicate;
    private final AtomicCounter overlap;
    private final AtomicCounter dropTimeout;
    private final AtomicCounter dropEvicted;
    private final AtomicCounter dropTooBig;
    private final AtomicCounter dropBadLength;
    private final AtomicCounter dropInconsistent;
    private final AtomicCounter dropOverlap;
    private final AtomicCounter dropIncomplete;

    public IpReassembly(final DissectorConfig config, final Counters counters) {
        config.conclude();
        maxDatagrams = config.reassemblyMaxDatagrams();
        maxBytes = config.reassemblyMaxDatagramBytes();
        timeoutNs = config.reassemblyTimeoutNs();
        duplicateWindowNs = config.reassemblyDuplicateWindowNs();
        final int unitsPerDatagram = (maxBytes + 7) >>> 3;
        wordsPerDatagram = (unitsPerDatagram + 63) >>> 6;
        chunksPerDatagram = (maxBytes + CHUNK_BYTES - 1) >>> CHUNK_SHIFT;

        version = new int[maxDatagrams];
        srcHi = new long[maxDatagrams];
        srcLo = new long[maxDatagrams];
        dstHi = new long[maxDatagrams];
        dstLo = new long[maxDatagrams];
        ident = new long[maxDatagrams];
        createdNs = new long[maxDatagrams];
        totalLength = new int[maxDatagrams];
        maxEnd = new int[maxDatagrams];
        protocol = new int[maxDatagrams];
        units = new long[maxDatagrams * wordsPerDatagram];
        chunkOf = new int[maxDatagrams * chunksPerDatagram];
        Arrays.fill(chunkOf, -1);
        final int bucketCount = Integer.highestOneBit(Math.max(2, maxDatagrams * 2 - 1)) << 1;
        buckets = new int[bucketCount];
        Arrays.fill(buckets, -1);
        bucketMask = bucketCount - 1;
        chainNext = new int[maxDatagrams];
        olderNeighbour = new int[maxDatagrams];
        newerNeighbour = new int[maxDatagrams];
        freeSlots = new int[maxDatagrams];
        for (int i = 0; i < maxDatagrams; i++) {
            freeSlots[i] = maxDatagrams - 1 - i;
        }
        freeSlotCount = maxDatagrams;

        final int chunkCount = config.reassemblyBudgetBytes() >>> CHUNK_SHIFT;
        pool = new byte[chunkCount << CHUNK_SHIFT];
        freeChunks = new int[chunkCount];
        for (int i = 0; i < chunkCount; i++) {
            freeChunks[i] = chunkCount - 1 - i;
        }
        freeChunkCount = chunkCount;
        assemblyBytes = new byte[maxBytes];
        assembly = Unpooled.wrappedBuffer(assemblyBytes);

        fragments = counters.counter("dissect.frag.fragments");
        reassembled = counters.counter("dissect.frag.reassembled");
        duplicate = counters.counter("dissect.frag.duplicate");
        lateDuplicate = counters.counter("dissect.frag.late_duplicate");
        overlap = counters.counter("dissect.frag.overlap");
        dropTimeout = counters.counter("dissect.frag.drop.timeout");
        dropEvicted = counters.counter("dissect.frag.drop.evicted");
        dropTooBig = counters.counter("dissect.frag.drop.too_big");
        dropBadLength = counters.counter("dissect.frag.drop.bad_length");
        dropInconsistent = counters.counter("dissect.frag.drop.inconsistent");
        dropOverlap = counters.counter("dissect.frag.drop.overlap");
        dropIncomplete = counters.counter("dissect.frag.drop.incomplete_at_end");
    }

    /**
     * Adds one fragment. Returns the length of the reassembled datagram when this fragment
     * completed it — the bytes are then in {@link #assembly()} from index 0 and the upper-layer
     * protocol in {@link #completedProtocol()} — or -1 when the datagram is still incomplete or the
     * fragment was dropped.
     *
     * @param ipVersion 4 or 6
     * @param id IPv4: identification, protocol and VLAN folded by the caller; IPv6: identification and VLAN
     * @param nextProtocol IPv4 protocol, or the Next Header of the IPv6 fragment header
     * @param fragmentOffset offset of this fragment's data in bytes (a multiple of 8)
     * @param more the More Fragments flag
     */
    public int offer(final int ipVersion, final long srcHigh, final long srcLow, final long dstHigh,
        final long dstLow, final long id, final int nextProtocol, final int fragmentOffset, final boolean more,
        final ByteBuf buffer, final int offset, final int length, final long nowNs) {
        fragments.increment();
        expire(nowNs);
        final int end = fragmentOffset + length;
        int slot = find(ipVersion, srcHigh, srcLow, dstHigh, dstLow, id);
        if ((more && (length & 7) != 0) || length <= 0) {
            dropBadLength.increment();
            release(slot);
            return -1;
        }
        if (end > maxBytes) {
            dropTooBig.increment();
            release(slot);
            return -1;
        }
        if (slot < 0) {
            if (isLateDuplicate(ipVersion, srcHigh, srcLow, dstHigh, dstLow, id, end, nowNs)) {
                lateDuplicate.increment();
                return -1;
            }
            slot = allocate(ipVersion, srcHigh, srcLow, dstHigh, dstLow, id, nowNs);
        }
        if (!more) {
            if ((totalLength[slot] >= 0 && totalLength[slot] != end) || maxEnd[slot] > end) {
                dropInconsistent.increment();
                release(slot);
                return -1;
            }
            totalLength[slot] = end;
        } else if (totalLength[slot] >= 0 && end > totalLength[slot]) {
            dropInconsistent.increment();
            release(slot);
            return -1;
        }

        final int firstUnit = fragmentOffset >>> 3;
        final int endUnit = (end + 7) >>> 3;
        final int seen = countSet(slot, firstUnit, endUnit);
        if (seen == endUnit - firstUnit) {
            duplicate.increment();
            return -1;
        }
        if (seen > 0) {
            if (ipVersion == 6) {
                dropOverlap.increment();
                release(slot);
                return -1;
            }
            overlap.increment();
        }
        if (!store(slot, firstUnit, endUnit, fragmentOffset, end, buffer, offset)) {
            return -1;
        }
        if (fragmentOffset == 0 || ipVersion == 4) {
            protocol[slot] = nextProtocol;
        }
        if (end > maxEnd[slot]) {
            maxEnd[slot] = end;
        }
        final int total = totalLength[slot];
        if (total < 0 || countSet(slot, 0, (total + 7) >>> 3) != (total + 7) >>> 3) {
            return -1;
        }
        assemble(slot, total);
        completedProtocol = protocol[slot];
        remember(slot, total, nowNs);
        release(slot);
        reassembled.increment();
        return total;
    }

    /** The reassembled bytes of the datagram {@link #offer} just completed; valid until the next offer. */
    public ByteBuf assembly() {
        return assembly;
    }

    public int completedProtocol() {
        return completedProtocol;
    }

    /** Datagrams currently waiting for fragments. */
    public int pending() {
        return active;
    }

    /** Drops the datagrams whose first fragment is older than the timeout. */
    public void expire(final long nowNs) {
        while (oldest >= 0 && nowNs - createdNs[oldest] > timeoutNs) {
            dropTimeout.increment();
            release(oldest);
        }
    }

    /** End of input: whatever is still pending can never complete. */
    public void finish() {
        while (oldest >= 0) {
            dropIncomplete.increment();
            release(oldest);
        }
    }

    // ---- slots -----------------------------------------------------------------------------------

    private int find(final int v, final long sh, final long sl, final long dh, final long dl, final long id) {
        int s = buckets[hash(v, sh, sl, dh, dl, id) & bucketMask];
        while (s >= 0) {
            if (ident[s] == id && srcLo[s] == sl && dstLo[s] == dl && srcHi[s] == sh && dstHi[s] == dh
                && version[s] == v) {
                return s;
            }
            s = chainNext[s];
        }
        return -1;
    }

    private int allocate(final int v, final long sh, final long sl, final long dh, final long dl, final long id,
        final long nowNs) {
        if (freeSlotCount == 0) {
            dropEvicted.increment();
            release(oldest);
        }
        final int s = freeSlots[--freeSlotCount];
        version[s] = v;
        srcHi[s] = sh;
        srcLo[s] = sl;
        dstHi[s] = dh;
        dstLo[s] = dl;
        ident[s] = id;
        createdNs[s] = nowNs;
        totalLength[s] = -1;
        maxEnd[s] = 0;
        protocol[s] = -1;
        final int b = hash(v, sh, sl, dh, dl, id) & bucketMask;
        chainNext[s] = buckets[b];
        buckets[b] = s;
        olderNeighbour[s] = newest;
        newerNeighbour[s] = -1;
        if (newest >= 0) {
            newerNeighbour[newest] = s;
        } else {
            oldest = s;
        }
        newest = s;
        active++;
        return s;
    }

    /** Frees a slot and its chunks; -1 is ignored. */
    private void release(final int s) {
        if (s < 0) {
            return;
        }
        final int chunkBase = s * chunksPerDatagram;
        for (int c = 0; c < chunksPerDatagram; c++) {
            final int chunk = chunkOf[chunkBase + c];
            if (chunk >= 0) {
                freeChunks[freeChunkCount++] = chunk;
                chunkOf[chunkBase + c] = -1;
            }
        }
        Arrays.fill(units, s * wordsPerDatagram, (s + 1) * wordsPerDatagram, 0L);
        final int b = hash(version[s], srcHi[s], srcLo[s], dstHi[s], dstLo[s], ident[s]) & bucketMask;
        if (buckets[b] == s) {
            buckets[b] = chainNext[s];
        } else {
            int p = buckets[b];
            while (chainNext[p] != s) {
                p = chainNext[p];
            }
            chainNext[p] = chainNext[s];
        }
        final int older = olderNeighbour[s];
        final int newer = newerNeighbour[s];
        if (older >= 0) {
            newerNeighbour[older] = newer;
        } else {
            oldest = newer;
        }
        if (newer >= 0) {
            olderNeighbour[newer] = older;
        } else {
            newest = older;
        }
        freeSlots[freeSlotCount++] = s;
        active--;
    }

    private static int hash(final int v, final long sh, final long sl, final long dh, final long dl, final long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        h ^= sl + 0x632BE59BD9B4E019L * (dl ^ (sh * 31 + dh) ^ v);
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 29));
    }

    // ---- data ------------------------------------------------------------------------------------

    private int countSet(final int slot, final int fromUnit, final int toUnit) {
        final int base = slot * wordsPerDatagram;
        int count = 0;
        for (int u = fromUnit; u < toUnit; ) {
            final int word = u >>> 6;
            final int bit = u & 63;
            final int take = Math.min(64 - bit, toUnit - u);
            final long mask = take == 64 ? -1L : ((1L << take) - 1) << bit;
            count += Long.bitCount(units[base + word] & mask);
            u += take;
        }
        return count;
    }

    /**
     * Copies the units of [firstUnit, endUnit) not yet received (earlier bytes win on overlap) and
     * marks them. False when the pool could not make room even after evicting older datagrams.
     */
    private boolean store(final int slot, final int firstUnit, final int endUnit, final int fragmentOffset,
        final int end, final ByteBuf buffer, final int offset) {
        final int base = slot * wordsPerDatagram;
        int u = firstUnit;
        while (u < endUnit) {
            if ((units[base + (u >>> 6)] & (1L << (u & 63))) != 0) {
                u++;
                continue;
            }
            int runEnd = u + 1;
            while (runEnd < endUnit && (units[base + (runEnd >>> 6)] & (1L << (runEnd & 63))) == 0) {
                runEnd++;
            }
            final int from = u << 3;
            final int to = Math.min(runEnd << 3, end);
            if (!copyIn(slot, from, to, buffer, offset + (from - fragmentOffset))) {
                return false;
            }
            for (int k = u; k < runEnd; k++) {
                units[base + (k >>> 6)] |= 1L << (k & 63);
            }
            u = runEnd;
        }
        return true;
    }

    private boolean copyIn(final int slot, final int from, final int to, final ByteBuf buffer, final int offset) {
        int at = from;
        while (at < to) {
            final int c = at >>> CHUNK_SHIFT;
            final int entry = slot * chunksPerDatagram + c;
            if (chunkOf[entry] < 0) {
                if (!makeRoom(slot)) {
                    return false;
                }
                chunkOf[entry] = freeChunks[--freeChunkCount];
            }
            final int inChunk = at & (CHUNK_BYTES - 1);
            final int n = Math.min(to - at, CHUNK_BYTES - inChunk);
            buffer.getBytes(offset + (at - from), pool, (chunkOf[entry] << CHUNK_SHIFT) + inChunk, n);
            at += n;
        }
        return true;
    }

    /** Evicts the oldest other datagrams until a chunk is free; false if this one alone fills the pool. */
    private boolean makeRoom(final int slot) {
        while (freeChunkCount == 0) {
            final int victim = oldest == slot ? newerNeighbour[oldest] : oldest;
            if (victim < 0) {
                dropEvicted.increment();
                release(slot);
                return false;
            }
            dropEvicted.increment();
            release(victim);
        }
        return true;
    }

    private void assemble(final int slot, final int total) {
        final int base = slot * chunksPerDatagram;
        for (int at = 0; at < total; at += CHUNK_BYTES) {
            final int n = Math.min(CHUNK_BYTES, total - at);
            System.arraycopy(pool, chunkOf[base + (at >>> CHUNK_SHIFT)] << CHUNK_SHIFT, assemblyBytes, at, n);
        }
    }

    // ---- recently completed ------------------------------------------------------------------------

    private void remember(final int slot, final int total, final long nowNs) {
        final int r = recentCursor;
        recentCursor = (r + 1) & (RECENT - 1);
        recentVersion[r] = version[slot];
        recentSrcHi[r] = srcHi[slot];
        recentSrcLo[r] = srcLo[slot];
        recentDstHi[r] = dstHi[slot];
        recentDstLo[r] = dstLo[slot];
        recentIdent[r] = ident[slot];
        recentTotal[r] = total;
        recentNs[r] = nowNs;
    }

    private boolean isLateDuplicate(final int v, final long sh, final long sl, final long dh, final long dl,
        final long id, final int end, final long nowNs) {
        if (duplicateWindowNs == 0) {
            return false;
        }
        for (int r = 0; r < RECENT; r++) {
            if (recentIdent[r] == id && recentSrcLo[r] == sl && recentDstLo[r] == dl && recentSrcHi[r] == sh
                && recentDstHi[r] == dh && recentVersion[r] == v && recentTotal[r] > 0
                && end <= recentTotal[r] && nowNs - recentNs[r] <= duplicateWindowNs && nowNs >= recentNs[r]) {
                return true;
            }
        }
        return false;
    }
}
