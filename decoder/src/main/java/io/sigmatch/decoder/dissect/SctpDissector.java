package io.sigmatch.decoder.dissect;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * SCTP (RFC 9260) down to user messages: the common header, every chunk of a packet (bundling,
 * 4-byte padding), DATA (3.3.1) and I-DATA (RFC 8260) with their user messages reassembled from
 * fragments, each whole message handed to the decoder {@link ProtocolDispatch#sctpDecoder} names by
 * payload protocol identifier, then by port. {@link PacketInfo#sctpPpid} and
 * {@link PacketInfo#sctpStream} say which; the frame is the one that completed the message (as
 * Wireshark's {@code sctp.reassembled_in}).
 *
 * <p>A direction of an association is identified by its ports and verification tag (3.1: the tag
 * a packet carries is its receiver's, the same for every packet of that direction whatever the
 * addresses of a multi-homed peer). Per direction the dissector remembers the highest TSN and which
 * of the 128 before it it has seen, so a retransmitted or mirrored-twice chunk is delivered once.
 *
 * <p>Fragments: DATA fragments of one message have consecutive TSNs on one stream (ordered ones
 * also share the SSN); I-DATA fragments share stream and MID and count by FSN. Each fragment is
 * kept in a {@link ChunkPool} under (direction, stream, U, SSN or MID, TSN or FSN); when a
 * fragment closes the run from a B to an E fragment the message is copied out and delivered.
 * Fragments expire after {@code sctpReassemblyTimeoutNs}, and the oldest gives way when the pool
 * or the fragment table is full. Unfragmented messages are delivered where they lie.
 *
 * <p>Non-DATA chunks (INIT, SACK, HEARTBEAT, ...) are skipped, counted by type. The checksum is
 * not verified (Wireshark's default, {@code sctp.checksum: None}).
 */
public final class SctpDissector implements TransportDissector {
    private static final int WINDOW = 128;
    /** TSNs below the highest whose content fingerprint is kept (per direction, a ring by TSN). */
    private static final int PRINTS = 32;
    /** Fragments walked to find a message's first and last: bounded by the table, and here. */
    private static final int MAX_FRAGMENTS_PER_MESSAGE = 4096;

    private final ProtocolDispatch dispatch;
    private final int maxMessageBytes;
    private final long idleTimeoutNs;
    private final long reassemblyTimeoutNs;

    // directions: key = vtag | srcPort << 32 | dstPort << 48
    private final int maxDirections;
    private final long[] dirKey;
    private final long[] dirKey2;
    private final int[] highestTsn;
    private final long[] seenLow;
    private final long[] seenHigh;
    private final long[] dirLastNs;
    private final int[] prints;
    private final int[] dirChain;
    private final int[] dirOlder;
    private final int[] dirNewer;
    private final int[] dirBuckets;
    private final int dirMask;
    private final int[] freeDirs;
    private int freeDirCount;
    private int dirOldest = -1;
    private int dirNewest = -1;

    // fragments
    private final int maxFragments;
    private final long[] fKey;
    private final long[] fKey2;
    private final int[] fStream;
    private final int[] fSeries;
    private final int[] fPos;
    private final int[] fFlags;
    private final int[] fPpid;
    private final int[] fLen;
    private final int[] fChunk;
    private final long[] fNs;
    private final int[] fChain;
    private final int[] fOlder;
    private final int[] fNewer;
    private final int[] fBuckets;
    private final int fMask;
    private final int[] freeFragments;
    private int freeFragmentCount;
    private int fOldest = -1;
    private int fNewest = -1;

    private final ChunkPool pool;
    private final byte[] assembly;
    private final ByteBuf assemblyBuf;

    private final AtomicCounter packets;
    private final AtomicCounter truncated;
    private final AtomicCounter badChunkLength;
    private final AtomicCounter chunkTruncated;
    private final AtomicCounter dataChunks;
    private final AtomicCounter idataChunks;
    private final AtomicCounter dataBadLength;
    private final AtomicCounter dataEmpty;
    private final AtomicCounter duplicateTsn;
    private final AtomicCounter staleTsn;
    private final AtomicCounter tsnReused;
    private final AtomicCounter fragments;
    private final AtomicCounter reassembled;
    private final AtomicCounter messages;
    private final AtomicCounter unclaimed;
    private final AtomicCounter dropTimeout;
    private final AtomicCounter dropEvicted;
    private final AtomicCounter dropTooBig;
    private final AtomicCounter dropIncomplete;
    private final AtomicCounter dropDuplicateFragment;
    private final AtomicCounter associationsEvicted;
    private final AtomicCounter decoderException;
    private final AtomicCounter[] chunkTypes = new AtomicCounter[256];

    public SctpDissector(final Counters counters, final ProtocolDispatch dispatch, final DissectorConfig config) {
        config.conclude();
        this.dispatch = dispatch;
        maxMessageBytes = config.sctpMaxMessageBytes();
        idleTimeoutNs = config.sctpIdleTimeoutNs();
        reassemblyTimeoutNs = config.sctpReassemblyTimeoutNs();

        maxDirections = config.sctpMaxAssociations();
        dirKey = new long[maxDirections];
        dirKey2 = new long[maxDirections];
        highestTsn = new int[maxDirections];
        seenLow = new long[maxDirections];
        seenHigh = new long[maxDirections];
        dirLastNs = new long[maxDirections];
        prints = new int[maxDirections * PRINTS];
        dirChain = new int[maxDirections];
        dirOlder = new int[maxDirections];
        dirNewer = new int[maxDirections];
        final int dirBucketCount = Integer.highestOneBit(Math.max(2, maxDirections * 2 - 1)) << 1;
        dirBuckets = new int[dirBucketCount];
        Arrays.fill(dirBuckets, -1);
        dirMask = dirBucketCount - 1;
        freeDirs = new int[maxDirections];
        for (int i = 0; i < maxDirections; i++) {
            freeDirs[i] = maxDirections - 1 - i;
        }
        freeDirCount = maxDirections;

        maxFragments = config.sctpMaxFragments();
        fKey = new long[maxFragments];
        fKey2 = new long[maxFragments];
        fStream = new int[maxFragments];
        fSeries = new int[maxFragments];
        fPos = new int[maxFragments];
        fFlags = new int[maxFragments];
        fPpid = new int[maxFragments];
        fLen = new int[maxFragments];
        fChunk = new int[maxFragments];
        fNs = new long[maxFragments];
        fChain = new int[maxFragments];
        fOlder = new int[maxFragments];
        fNewer = new int[maxFragments];
        final int fBucketCount = Integer.highestOneBit(Math.max(2, maxFragments * 2 - 1)) << 1;
        fBuckets = new int[fBucketCount];
        Arrays.fill(fBuckets, -1);
        fMask = fBucketCount - 1;
        freeFragments = new int[maxFragments];
        for (int i = 0; i < maxFragments; i++) {
            freeFragments[i] = maxFragments - 1 - i;
        }
        freeFragmentCount = maxFragments;

        pool = new ChunkPool(config.sctpReassemblyBudgetBytes());
        assembly = new byte[maxMessageBytes];
        assemblyBuf = Unpooled.wrappedBuffer(assembly);

        packets = counters.counter("dissect.sctp.packets");
        truncated = counters.counter("dissect.sctp.error.truncated");
        badChunkLength = counters.counter("dissect.sctp.error.bad_chunk_length");
        chunkTruncated = counters.counter("dissect.sctp.error.chunk_truncated");
        dataChunks = counters.counter("dissect.sctp.chunk.data");
        idataChunks = counters.counter("dissect.sctp.chunk.i_data");
        dataBadLength = counters.counter("dissect.sctp.error.data_bad_length");
        dataEmpty = counters.counter("dissect.sctp.error.data_empty");
        duplicateTsn = counters.counter("dissect.sctp.drop.duplicate_tsn");
        staleTsn = counters.counter("dissect.sctp.drop.stale_tsn");
        tsnReused = counters.counter("dissect.sctp.tsn_reused");
        fragments = counters.counter("dissect.sctp.fragments");
        reassembled = counters.counter("dissect.sctp.reassembled");
        messages = counters.counter("dissect.sctp.messages");
        unclaimed = counters.counter("dissect.sctp.unclaimed");
        dropTimeout = counters.counter("dissect.sctp.drop.timeout");
        dropEvicted = counters.counter("dissect.sctp.drop.evicted");
        dropTooBig = counters.counter("dissect.sctp.drop.too_big");
        dropIncomplete = counters.counter("dissect.sctp.drop.incomplete_at_end");
        dropDuplicateFragment = counters.counter("dissect.sctp.drop.duplicate_fragment");
        associationsEvicted = counters.counter("dissect.sctp.associations.evicted");
        decoderException = counters.counter("dissect.error.decoder_exception");
        for (int t = 0; t < 256; t++) {
            if (t != SctpLayout.TYPE_DATA && t != SctpLayout.TYPE_I_DATA) {
                chunkTypes[t] = counters.counter("dissect.sctp.chunk." + SctpLayout.chunkName(t));
            }
        }
    }

    /** Fragments waiting for the rest of their message. */
    public int pendingFragments() {
        return maxFragments - freeFragmentCount;
    }

    /** Association directions tracked now (bounded by {@code sctpMaxAssociations}). */
    public int activeDirections() {
        return maxDirections - freeDirCount;
    }

    /** Fragment bytes held now, in chunks of the pool (bounded by {@code sctpReassemblyBudgetBytes}). */
    public long heldChunkBytes() {
        return (long) pool.inUse() * ChunkPool.CHUNK_BYTES;
    }

    @Override
    public void onSegment(final PacketInfo p, final ByteBuf b, final int off, final int len, final MessageSink sink) {
        if (len < SctpLayout.COMMON_HEADER_LENGTH) {
            truncated.increment();
            return;
        }
        packets.increment();
        p.transport = PacketInfo.TRANSPORT_SCTP;
        p.srcPort = b.getUnsignedShort(off + SctpLayout.SOURCE_PORT_OFFSET);
        p.dstPort = b.getUnsignedShort(off + SctpLayout.DESTINATION_PORT_OFFSET);
        final long tag = b.getUnsignedInt(off + SctpLayout.VERIFICATION_TAG_OFFSET);
        final long key = tag | (long) p.srcPort << 32 | (long) p.dstPort << 48;
        // A real association has a random non-zero tag (RFC 9260 5.3.1), which with the ports names a
        // direction whatever path a multi-homed peer uses. Tag 0 is INIT's, or a generator's that
        // writes 0 everywhere: then the addresses tell associations apart.
        final long key2 = tag != 0 ? 0 : addressHash(p);
        expireFragments(p.timeNs);
        int dir = -1;
        int at = off + SctpLayout.COMMON_HEADER_LENGTH;
        final int end = off + len;
        // Each pass moves at least 4 bytes, so the loop ends within len / 4 passes.
        while (end - at >= SctpLayout.CHUNK_HEADER_LENGTH) {
            final int type = b.getUnsignedByte(at);
            final int chunkLength = b.getUnsignedShort(at + SctpLayout.CHUNK_LENGTH_OFFSET);
            if (chunkLength < SctpLayout.CHUNK_HEADER_LENGTH) {
                badChunkLength.increment();
                return;
            }
            if (chunkLength > end - at) {
                chunkTruncated.increment();
                return;
            }
            if (type == SctpLayout.TYPE_DATA || type == SctpLayout.TYPE_I_DATA) {
                if (dir < 0) {
                    dir = direction(key, key2, p.timeNs);
                }
                data(p, b, at, chunkLength, type == SctpLayout.TYPE_I_DATA, key, key2, dir, sink);
            } else {
                chunkTypes[type].increment();
            }
            at += (chunkLength + 3) & ~3; // 3.2: the padding is not in the length
        }
    }

    @Override
    public void advanceTime(final long nowNs, final MessageSink sink) {
        expireFragments(nowNs);
        while (dirOldest >= 0 && nowNs - dirLastNs[dirOldest] > idleTimeoutNs) {
            releaseDirection(dirOldest);
        }
    }

    @Override
    public void flush(final MessageSink sink) {
        while (fOldest >= 0) {
            dropIncomplete.increment();
            releaseFragment(fOldest);
        }
        while (dirOldest >= 0) {
            releaseDirection(dirOldest);
        }
    }

    // ---- DATA and I-DATA -------------------------------------------------------------------------------

    private void data(final PacketInfo p, final ByteBuf b, final int at, final int chunkLength, final boolean idata,
        final long key, final long key2, final int dir, final MessageSink sink) {
        final int headerLength = idata ? SctpLayout.I_DATA_HEADER_LENGTH : SctpLayout.DATA_HEADER_LENGTH;
        (idata ? idataChunks : dataChunks).increment();
        if (chunkLength < headerLength) {
            dataBadLength.increment();
            return;
        }
        if (chunkLength == headerLength) {
            dataEmpty.increment(); // 3.3.1: a DATA chunk with no user data is a protocol violation
            return;
        }
        final int flags = b.getUnsignedByte(at + SctpLayout.CHUNK_FLAGS_OFFSET);
        final int tsn = b.getInt(at + SctpLayout.DATA_TSN_OFFSET);
        final int stream = b.getUnsignedShort(at + SctpLayout.DATA_STREAM_OFFSET);
        final int dataOff = at + headerLength;
        final int dataLen = chunkLength - headerLength;
        final int print = fingerprint(b, at + SctpLayout.DATA_STREAM_OFFSET, chunkLength - 8);
        final int seen = markTsn(dir, tsn);
        final int slot = dir * PRINTS + (tsn & (PRINTS - 1));
        if (seen > 0 && (tsn - highestTsn[dir] <= -PRINTS || prints[slot] == print)) {
            duplicateTsn.increment();
            return;
        }
        if (seen < 0) {
            staleTsn.increment();
            return;
        }
        if (seen > 0) {
            tsnReused.increment(); // same TSN, other content: a generator that numbers every chunk alike
        }
        prints[slot] = print;
        final boolean begin = (flags & SctpLayout.FLAG_BEGIN) != 0;
        final boolean last = (flags & SctpLayout.FLAG_END) != 0;
        final boolean unordered = (flags & SctpLayout.FLAG_UNORDERED) != 0;
        final int ppidOrFsn = b.getInt(at + (idata ? SctpLayout.I_DATA_PPID_FSN_OFFSET : SctpLayout.DATA_PPID_OFFSET));
        if (begin && last) {
            deliver(p, b, dataOff, dataLen, ppidOrFsn & 0xFFFFFFFFL, stream, sink);
            return;
        }
        fragments.increment();
        final int streamKey = stream | (unordered ? 1 << 16 : 0) | (idata ? 1 << 17 : 0);
        final int series;
        final int position;
        if (idata) {
            series = b.getInt(at + SctpLayout.I_DATA_MID_OFFSET);
            position = begin ? 0 : ppidOrFsn; // RFC 8260 2.1: the first fragment's FSN is 0, its field the PPID
        } else {
            series = unordered ? 0 : b.getUnsignedShort(at + SctpLayout.DATA_SSN_OFFSET);
            position = tsn;
        }
        if (dataLen > maxMessageBytes) {
            dropTooBig.increment();
            return;
        }
        if (findFragment(key, key2, streamKey, series, position) >= 0) {
            dropDuplicateFragment.increment();
            return;
        }
        final int f = storeFragment(key, key2, streamKey, series, position, flags, begin ? ppidOrFsn : 0,
            b, dataOff, dataLen, p.timeNs);
        if (f < 0) {
            return;
        }
        // Walk down to the first fragment and up to the last; every position between must be held.
        int first = f;
        int total = fLen[f];
        int steps = 0;
        while ((fFlags[first] & SctpLayout.FLAG_BEGIN) == 0) {
            if (++steps > MAX_FRAGMENTS_PER_MESSAGE) {
                return;
            }
            final int q = findFragment(key, key2, streamKey, series, fPos[first] - 1);
            if (q < 0) {
                return;
            }
            first = q;
            total += fLen[q];
        }
        int lastF = f;
        while ((fFlags[lastF] & SctpLayout.FLAG_END) == 0) {
            if (++steps > MAX_FRAGMENTS_PER_MESSAGE) {
                return;
            }
            final int q = findFragment(key, key2, streamKey, series, fPos[lastF] + 1);
            if (q < 0 || (fFlags[q] & SctpLayout.FLAG_BEGIN) != 0) {
                return;
            }
            lastF = q;
            total += fLen[q];
        }
        final long ppid = fPpid[first] & 0xFFFFFFFFL;
        if (total > maxMessageBytes) {
            dropTooBig.increment();
            releaseRun(key, key2, streamKey, series, fPos[first], fPos[lastF]);
            return;
        }
        int filled = 0;
        final int lastPos = fPos[lastF];
        for (int pos = fPos[first]; ; pos++) {
            final int q = findFragment(key, key2, streamKey, series, pos);
            pool.readChain(fChunk[q], 0, assembly, filled, fLen[q]);
            filled += fLen[q];
            releaseFragment(q);
            if (pos == lastPos) {
                break;
            }
        }
        reassembled.increment();
        deliver(p, assemblyBuf, 0, filled, ppid, stream, sink);
    }

    private void deliver(final PacketInfo p, final ByteBuf b, final int off, final int len, final long ppid,
        final int stream, final MessageSink sink) {
        messages.increment();
        final PayloadDecoder decoder = dispatch.sctpDecoder(ppid, p.srcPort, p.dstPort);
        if (decoder == null) {
            unclaimed.increment();
            return;
        }
        p.sctpPpid = (int) ppid;
        p.sctpStream = stream;
        try {
            decoder.decode(p, b, off, len, sink);
        } catch (final RuntimeException e) {
            decoderException.increment(); // decoders must not throw; that message is lost, counted
        }
    }

    /**
     * What tells a retransmission (same bytes) from a different chunk under a TSN seen before:
     * stream, SSN/MID, PPID and up to 64 bytes of user data, and the length.
     */
    private static int fingerprint(final ByteBuf b, final int from, final int length) {
        int h = length;
        final int n = Math.min(length, 72);
        for (int i = 0; i + 4 <= n; i += 4) {
            h = h * 0x01000193 ^ b.getInt(from + i);
        }
        return h ^ b.getInt(from + length - 4);
    }

    /** 0 when the TSN is new, 1 when seen already, -1 when older than the window (taken as seen). */
    private int markTsn(final int dir, final int tsn) {
        final int d = tsn - highestTsn[dir];
        if (seenLow[dir] == 0 && seenHigh[dir] == 0) {
            highestTsn[dir] = tsn;
            seenLow[dir] = 1;
            return 0;
        }
        if (d > 0) {
            if (d >= WINDOW) {
                seenLow[dir] = 0;
                seenHigh[dir] = 0;
            } else if (d >= 64) {
                seenHigh[dir] = seenLow[dir] << (d - 64);
                seenLow[dir] = 0;
            } else {
                seenHigh[dir] = seenHigh[dir] << d | seenLow[dir] >>> (64 - d);
                seenLow[dir] <<= d;
            }
            seenLow[dir] |= 1;
            highestTsn[dir] = tsn;
            return 0;
        }
        final int back = -d;
        if (back >= WINDOW) {
            return -1;
        }
        if (back < 64) {
            final long bit = 1L << back;
            if ((seenLow[dir] & bit) != 0) {
                return 1;
            }
            seenLow[dir] |= bit;
        } else {
            final long bit = 1L << (back - 64);
            if ((seenHigh[dir] & bit) != 0) {
                return 1;
            }
            seenHigh[dir] |= bit;
        }
        return 0;
    }

    // ---- directions ---------------------------------------------------------------------------------

    private int direction(final long key, final long key2, final long nowNs) {
        final int bucket = mix(key ^ key2) & dirMask;
        int d = dirBuckets[bucket];
        while (d >= 0 && (dirKey[d] != key || dirKey2[d] != key2)) {
            d = dirChain[d];
        }
        if (d < 0) {
            if (freeDirCount == 0) {
                associationsEvicted.increment();
                releaseDirection(dirOldest);
            }
            d = freeDirs[--freeDirCount];
            dirKey[d] = key;
            dirKey2[d] = key2;
            seenLow[d] = 0;
            seenHigh[d] = 0;
            highestTsn[d] = 0;
            dirChain[d] = dirBuckets[bucket];
            dirBuckets[bucket] = d;
        } else {
            if (dirNewest == d) {
                dirLastNs[d] = nowNs;
                return d;
            }
            unlinkDirection(d);
        }
        dirLastNs[d] = nowNs;
        dirOlder[d] = dirNewest;
        dirNewer[d] = -1;
        if (dirNewest >= 0) {
            dirNewer[dirNewest] = d;
        } else {
            dirOldest = d;
        }
        dirNewest = d;
        return d;
    }

    private void unlinkDirection(final int d) {
        final int o = dirOlder[d];
        final int n = dirNewer[d];
        if (o >= 0) {
            dirNewer[o] = n;
        } else {
            dirOldest = n;
        }
        if (n >= 0) {
            dirOlder[n] = o;
        } else {
            dirNewest = o;
        }
    }

    private void releaseDirection(final int d) {
        final int bucket = mix(dirKey[d] ^ dirKey2[d]) & dirMask;
        if (dirBuckets[bucket] == d) {
            dirBuckets[bucket] = dirChain[d];
        } else {
            int q = dirBuckets[bucket];
            while (dirChain[q] != d) {
                q = dirChain[q];
            }
            dirChain[q] = dirChain[d];
        }
        unlinkDirection(d);
        freeDirs[freeDirCount++] = d;
    }

    // ---- fragments ------------------------------------------------------------------------------------

    private int findFragment(final long key, final long key2, final int streamKey, final int series, final int position) {
        int f = fBuckets[fragmentHash(key ^ key2, streamKey, series, position) & fMask];
        while (f >= 0) {
            if (fPos[f] == position && fKey[f] == key && fStream[f] == streamKey && fSeries[f] == series
                && fKey2[f] == key2) {
                return f;
            }
            f = fChain[f];
        }
        return -1;
    }

    private int storeFragment(final long key, final long key2, final int streamKey, final int series, final int position,
        final int flags, final int ppid, final ByteBuf b, final int off, final int len, final long nowNs) {
        if (freeFragmentCount == 0) {
            dropEvicted.increment();
            releaseFragment(fOldest);
        }
        int head = -1;
        int tail = -1;
        for (int done = 0; done < len; ) {
            int c = pool.allocate();
            while (c < 0 && fOldest >= 0) {
                dropEvicted.increment();
                releaseFragment(fOldest);
                c = pool.allocate();
            }
            if (c < 0) {
                pool.freeChain(head); // cannot happen: the budget holds one largest message
                dropEvicted.increment();
                return -1;
            }
            if (head < 0) {
                head = c;
            } else {
                pool.link(tail, c);
            }
            tail = c;
            final int k = Math.min(len - done, ChunkPool.CHUNK_BYTES);
            pool.write(c, 0, b, off + done, k);
            done += k;
        }
        final int f = freeFragments[--freeFragmentCount];
        fKey[f] = key;
        fKey2[f] = key2;
        fStream[f] = streamKey;
        fSeries[f] = series;
        fPos[f] = position;
        fFlags[f] = flags;
        fPpid[f] = ppid;
        fLen[f] = len;
        fChunk[f] = head;
        fNs[f] = nowNs;
        final int bucket = fragmentHash(key ^ key2, streamKey, series, position) & fMask;
        fChain[f] = fBuckets[bucket];
        fBuckets[bucket] = f;
        fOlder[f] = fNewest;
        fNewer[f] = -1;
        if (fNewest >= 0) {
            fNewer[fNewest] = f;
        } else {
            fOldest = f;
        }
        fNewest = f;
        return f;
    }

    private void releaseRun(final long key, final long key2, final int streamKey, final int series, final int from, final int to) {
        for (int pos = from; ; pos++) {
            final int q = findFragment(key, key2, streamKey, series, pos);
            if (q >= 0) {
                releaseFragment(q);
            }
            if (pos == to) {
                return;
            }
        }
    }

    private void expireFragments(final long nowNs) {
        while (fOldest >= 0 && nowNs - fNs[fOldest] > reassemblyTimeoutNs) {
            dropTimeout.increment();
            releaseFragment(fOldest);
        }
    }

    private void releaseFragment(final int f) {
        pool.freeChain(fChunk[f]);
        fChunk[f] = -1;
        final int bucket = fragmentHash(fKey[f] ^ fKey2[f], fStream[f], fSeries[f], fPos[f]) & fMask;
        if (fBuckets[bucket] == f) {
            fBuckets[bucket] = fChain[f];
        } else {
            int q = fBuckets[bucket];
            while (fChain[q] != f) {
                q = fChain[q];
            }
            fChain[q] = fChain[f];
        }
        final int o = fOlder[f];
        final int n = fNewer[f];
        if (o >= 0) {
            fNewer[o] = n;
        } else {
            fOldest = n;
        }
        if (n >= 0) {
            fOlder[n] = o;
        } else {
            fNewest = o;
        }
        freeFragments[freeFragmentCount++] = f;
    }

    private static int fragmentHash(final long key, final int streamKey, final int series, final int position) {
        return mix(key ^ ((long) streamKey << 20) ^ ((long) series * 0x9E3779B97F4A7C15L) ^ position);
    }

    private static long addressHash(final PacketInfo p) {
        long h = p.srcHi * 0x9E3779B97F4A7C15L ^ p.srcLo;
        h = (h ^ (h >>> 29)) * 0xBF58476D1CE4E5B9L ^ p.dstHi;
        h = (h ^ (h >>> 31)) * 0x94D049BB133111EBL ^ p.dstLo;
        return (h ^ (h >>> 32)) | 1; // never 0, the value of a tagged direction
    }

    private static int mix(final long key) {
        long h = key * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 31;
        h *= 0x94D049BB133111EBL;
        return (int) (h ^ (h >>> 29));
    }
}
