package io.sigmatch.decoder.dissect;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.StreamDecoder;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * TCP stream reassembly for the stream protocols (Diameter, SIP): each direction of a flow is a
 * byte stream, cut into messages by the {@link StreamDecoder} {@link ProtocolDispatch} names for
 * the flow's ports; each whole message goes to its {@code decode} with the {@link PacketInfo} of
 * the segment that completed it (Wireshark's "reassembled in" frame).
 *
 * <p>Memory is fixed at construction: flow state in parallel arrays ({@code tcpMaxFlows}),
 * stream bytes in a {@link ChunkPool} ({@code tcpBufferBudgetBytes}), out-of-order segments in a
 * pool ({@code tcpMaxHeldSegments}). A segment that arrives in order on a direction with nothing
 * buffered is framed where it lies in the capture buffer; only the tail of a message still
 * incomplete is copied. Flows with no decoder on their ports get no state at all.
 *
 * <p>Policy (every drop counted, see the package documentation for the labels):
 * <ul>
 * <li>retransmissions and overlaps: the bytes seen first win (RFC 9293 3.10.7.4 trims a segment to
 * the window; Wireshark marks the later copy a retransmission and does not reassemble it again);</li>
 * <li>out-of-order segments are held until the hole before them fills (Wireshark's
 * {@code tcp.reassemble_out_of_order}); a hole still open after {@code tcpGapTimeoutNs} of capture
 * time, or with more than {@code tcpMaxHeldSegmentsPerDirection} segments or
 * {@code tcpMaxMessageBytes} bytes waiting behind it, is declared lost: its bytes are counted, the
 * message it cut is dropped, and framing resumes after it — exactly at the next message when the
 * cut message's length was known, else at the next place {@link StreamDecoder#findMessageStart}
 * finds;</li>
 * <li>a flow first seen without its SYN starts in mid-stream and resynchronises the same way;</li>
 * <li>FIN closes a direction once every byte before it arrived; RST, idle expiry
 * ({@code tcpIdleTimeoutNs}), eviction of the least recently seen flow when the table or the byte
 * budget is full, and the end of input close the flow: held data is framed as far as it goes and the
 * incomplete rest is counted;</li>
 * <li>a message longer than {@code tcpMaxMessageBytes} is skipped by its length.</li>
 * </ul>
 * Sequence numbers compare modulo 2^32 (RFC 9293 3.4). Capture time, never the wall clock, drives
 * every timeout. One instance per dissecting thread.
 */
public final class TcpReassembly implements TransportDissector {
    /** Bytes kept after a failed resynchronisation in case a message start straddles the next segment. */
    static final int RESYNC_TAIL = 256;
    /**
     * No receive window exceeds 2^30 bytes (RFC 7323 2.3: window scale at most 14), so a segment
     * further than that from the stream position cannot belong to the stream as we know it.
     */
    static final int MAX_WINDOW = 1 << 30;
    /**
     * Segments in a row outside the window after which the position we hold is taken to be the
     * wrong one (set by a garbled segment, or more than a window of the flow lost) and the
     * direction restarts at the segment's position, as in mid-stream.
     */
    static final int OUTSIDE_WINDOW_BEFORE_RESTART = 4;

    private static final int SYNCED = 1;
    private static final int RESYNC = 2;
    private static final int FIN_SEEN = 4;
    private static final int CLOSED = 8;

    private final ProtocolDispatch dispatch;
    private final int maxFlows;
    private final long idleTimeoutNs;
    private final long gapTimeoutNs;
    private final int maxMessageBytes;
    private final int maxHeldPerDirection;

    // flow key and list links, by flow slot
    private final int[] version;
    private final long[] aHi;
    private final long[] aLo;
    private final long[] bHi;
    private final long[] bLo;
    /** A's port in the high 16 bits, B's in the low: A is the lesser endpoint, direction 0 is A to B. */
    private final int[] ports;
    private final long[] lastNs;
    private final long[] lastFrame;
    private final int[] chainNext;
    private final int[] older;
    private final int[] newer;
    private final int[] buckets;
    private final int bucketMask;
    private final int[] freeFlows;
    private int freeFlowCount;
    private int oldest = -1;
    private int newest = -1;
    private int active;

    // per direction (flow * 2 + d)
    private final int[] nextSeq;
    private final byte[] state;
    private final int[] bufHead;
    private final int[] bufTail;
    private final int[] bufHeadOff;
    private final int[] bufLen;
    /** Length of the message at the head of the buffer once the decoder could tell, else 0. */
    private final int[] pending;
    /** Bytes still to skip (the rest of a message too long, or cut by a lost hole). */
    private final int[] skip;
    private final int[] finSeq;
    private final int[] heldHead;
    private final int[] heldCount;
    private final int[] heldBytes;
    private final long[] gapSinceNs;
    /** Segments in a row outside the window, per direction. */
    private final byte[] outsideWindow;

    // out-of-order segment pool
    private final int[] segSeq;
    private final int[] segLen;
    private final int[] segChunk;
    private final int[] segNext;
    private final long[] segFrame;
    private final long[] segNs;
    private final int[] freeSegs;
    private int freeSegCount;

    private final ChunkPool pool;
    private final byte[] scratch;
    private final ByteBuf scratchBuf;
    private final PacketInfo closing = new PacketInfo();

    private final AtomicCounter segments;
    private final AtomicCounter truncated;
    private final AtomicCounter badHeaderLength;
    private final AtomicCounter unclaimed;
    private final AtomicCounter messages;
    private final AtomicCounter flowsCreated;
    private final AtomicCounter flowsClosed;
    private final AtomicCounter flowsReset;
    private final AtomicCounter flowsExpired;
    private final AtomicCounter flowsEvicted;
    private final AtomicCounter flowsReused;
    private final AtomicCounter flowsOpenAtEnd;
    private final AtomicCounter midstream;
    private final AtomicCounter retransmitted;
    private final AtomicCounter overlapBytes;
    private final AtomicCounter outOfOrder;
    private final AtomicCounter gaps;
    private final AtomicCounter lostBytes;
    private final AtomicCounter resyncs;
    private final AtomicCounter resyncSkippedBytes;
    private final AtomicCounter notAMessage;
    private final AtomicCounter tooBig;
    private final AtomicCounter incompleteBytes;
    private final AtomicCounter noMemoryBytes;
    private final AtomicCounter heldOverflowBytes;
    private final AtomicCounter outsideWindowSegments;
    private final AtomicCounter windowRestarts;
    private final AtomicCounter decoderException;

    public TcpReassembly(final Counters counters, final ProtocolDispatch dispatch, final DissectorConfig config) {
        config.conclude();
        this.dispatch = dispatch;
        maxFlows = config.tcpMaxFlows();
        idleTimeoutNs = config.tcpIdleTimeoutNs();
        gapTimeoutNs = config.tcpGapTimeoutNs();
        maxMessageBytes = config.tcpMaxMessageBytes();
        maxHeldPerDirection = config.tcpMaxHeldSegmentsPerDirection();

        version = new int[maxFlows];
        aHi = new long[maxFlows];
        aLo = new long[maxFlows];
        bHi = new long[maxFlows];
        bLo = new long[maxFlows];
        ports = new int[maxFlows];
        lastNs = new long[maxFlows];
        lastFrame = new long[maxFlows];
        chainNext = new int[maxFlows];
        older = new int[maxFlows];
        newer = new int[maxFlows];
        final int bucketCount = Integer.highestOneBit(Math.max(2, maxFlows * 2 - 1)) << 1;
        buckets = new int[bucketCount];
        Arrays.fill(buckets, -1);
        bucketMask = bucketCount - 1;
        freeFlows = new int[maxFlows];
        for (int i = 0; i < maxFlows; i++) {
            freeFlows[i] = maxFlows - 1 - i;
        }
        freeFlowCount = maxFlows;

        final int dirs = maxFlows * 2;
        nextSeq = new int[dirs];
        state = new byte[dirs];
        bufHead = new int[dirs];
        bufTail = new int[dirs];
        bufHeadOff = new int[dirs];
        bufLen = new int[dirs];
        pending = new int[dirs];
        skip = new int[dirs];
        finSeq = new int[dirs];
        heldHead = new int[dirs];
        heldCount = new int[dirs];
        heldBytes = new int[dirs];
        gapSinceNs = new long[dirs];
        outsideWindow = new byte[dirs];
        Arrays.fill(bufHead, -1);
        Arrays.fill(heldHead, -1);

        final int segs = config.tcpMaxHeldSegments();
        segSeq = new int[segs];
        segLen = new int[segs];
        segChunk = new int[segs];
        segNext = new int[segs];
        segFrame = new long[segs];
        segNs = new long[segs];
        freeSegs = new int[segs];
        for (int i = 0; i < segs; i++) {
            freeSegs[i] = segs - 1 - i;
        }
        freeSegCount = segs;

        pool = new ChunkPool(config.tcpBufferBudgetBytes());
        scratch = new byte[maxMessageBytes];
        scratchBuf = Unpooled.wrappedBuffer(scratch);

        segments = counters.counter("dissect.tcp.segments");
        truncated = counters.counter("dissect.tcp.error.truncated");
        badHeaderLength = counters.counter("dissect.tcp.error.bad_header_length");
        unclaimed = counters.counter("dissect.tcp.unclaimed");
        messages = counters.counter("dissect.tcp.messages");
        flowsCreated = counters.counter("dissect.tcp.flows.created");
        flowsClosed = counters.counter("dissect.tcp.flows.closed");
        flowsReset = counters.counter("dissect.tcp.flows.reset");
        flowsExpired = counters.counter("dissect.tcp.flows.expired");
        flowsEvicted = counters.counter("dissect.tcp.flows.evicted");
        flowsReused = counters.counter("dissect.tcp.flows.reused");
        flowsOpenAtEnd = counters.counter("dissect.tcp.flows.open_at_end");
        midstream = counters.counter("dissect.tcp.midstream");
        retransmitted = counters.counter("dissect.tcp.retransmitted");
        overlapBytes = counters.counter("dissect.tcp.overlap_bytes");
        outOfOrder = counters.counter("dissect.tcp.out_of_order");
        gaps = counters.counter("dissect.tcp.gaps");
        lostBytes = counters.counter("dissect.tcp.drop.lost_bytes");
        resyncs = counters.counter("dissect.tcp.resyncs");
        resyncSkippedBytes = counters.counter("dissect.tcp.drop.resync_bytes");
        notAMessage = counters.counter("dissect.tcp.drop.not_a_message");
        tooBig = counters.counter("dissect.tcp.drop.too_big");
        incompleteBytes = counters.counter("dissect.tcp.drop.incomplete_bytes");
        noMemoryBytes = counters.counter("dissect.tcp.drop.no_memory_bytes");
        heldOverflowBytes = counters.counter("dissect.tcp.drop.held_overflow_bytes");
        outsideWindowSegments = counters.counter("dissect.tcp.drop.outside_window");
        windowRestarts = counters.counter("dissect.tcp.window_restarts");
        decoderException = counters.counter("dissect.error.decoder_exception");
    }

    /** Flows with state now. */
    public int activeFlows() {
        return active;
    }

    /** Stream bytes held now (partial messages and out-of-order data), in chunks of the pool. */
    public long heldChunkBytes() {
        return (long) pool.inUse() * ChunkPool.CHUNK_BYTES;
    }

    @Override
    public void onSegment(final PacketInfo p, final ByteBuf b, final int off, final int len, final MessageSink sink) {
        if (len < TcpLayout.MIN_HEADER_LENGTH) {
            truncated.increment();
            return;
        }
        final int headerLength = (b.getUnsignedByte(off + TcpLayout.DATA_OFFSET_OFFSET) >>> 4) << 2;
        if (headerLength < TcpLayout.MIN_HEADER_LENGTH) {
            badHeaderLength.increment();
            return;
        }
        if (headerLength > len) {
            truncated.increment();
            return;
        }
        segments.increment();
        p.transport = PacketInfo.TRANSPORT_TCP;
        p.srcPort = b.getUnsignedShort(off + TcpLayout.SOURCE_PORT_OFFSET);
        p.dstPort = b.getUnsignedShort(off + TcpLayout.DESTINATION_PORT_OFFSET);
        StreamDecoder decoder = dispatch.tcpDecoder(p.srcPort, p.dstPort);
        if (decoder == null && len > headerLength) {
            decoder = dispatch.sniffTcp(p, b, off + headerLength, len - headerLength); // e.g. an HTTP/2 preface
        }
        if (decoder == null) {
            unclaimed.increment();
            return;
        }
        final int flags = b.getUnsignedByte(off + TcpLayout.FLAGS_OFFSET);
        int seq = b.getInt(off + TcpLayout.SEQUENCE_OFFSET);
        final int payloadOff = off + headerLength;
        final int payloadLen = len - headerLength;

        final boolean aFirst = lessOrEqual(p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort);
        final long kaHi = aFirst ? p.srcHi : p.dstHi;
        final long kaLo = aFirst ? p.srcLo : p.dstLo;
        final long kbHi = aFirst ? p.dstHi : p.srcHi;
        final long kbLo = aFirst ? p.dstLo : p.srcLo;
        final int kPorts = aFirst ? p.srcPort << 16 | p.dstPort : p.dstPort << 16 | p.srcPort;
        int flow = find(p.ipVersion, kaHi, kaLo, kbHi, kbLo, kPorts);
        if (flow < 0) {
            if ((flags & TcpLayout.RST) != 0) {
                return; // a reset of a flow we hold nothing for
            }
            flow = allocate(p.ipVersion, kaHi, kaLo, kbHi, kbLo, kPorts, decoder, sink);
        }
        int dir = flow * 2 + (aFirst ? 0 : 1);
        if ((flags & TcpLayout.SYN) != 0) {
            final int ahead = seq + 1 - nextSeq[dir];
            if ((state[dir] & SYNCED) != 0 && (flags & TcpLayout.ACK) == 0 && (ahead > 0 || ahead < -(1 << 30))) {
                // A new connection on the same ports (RFC 9293 3.6.1 TIME-WAIT reuse): start afresh.
                flowsReused.increment();
                close(flow, decoder, sink);
                release(flow);
                flow = allocate(p.ipVersion, kaHi, kaLo, kbHi, kbLo, kPorts, decoder, sink);
                dir = flow * 2 + (aFirst ? 0 : 1);
            }
            if ((state[dir] & SYNCED) == 0) {
                state[dir] = SYNCED;
                nextSeq[dir] = seq + 1;
            }
            seq++; // the SYN takes one sequence number; data, if any, follows it
        } else if ((state[dir] & SYNCED) == 0) {
            midstream.increment();
            state[dir] = SYNCED | RESYNC;
            nextSeq[dir] = seq;
        }
        touch(flow, p.timeNs, p.frame);
        if (payloadLen > 0 && (state[dir] & CLOSED) == 0) {
            data(dir, seq, b, payloadOff, payloadLen, p, decoder, sink);
        }
        if (heldHead[dir] >= 0 && p.timeNs - gapSinceNs[dir] > gapTimeoutNs) {
            skipGap(dir, p, decoder, sink); // any segment of the direction (an ACK too) tells the time
        }
        if ((flags & TcpLayout.RST) != 0) {
            flowsReset.increment();
            close(flow, decoder, sink);
            release(flow);
            return;
        }
        if ((flags & TcpLayout.FIN) != 0 && (state[dir] & FIN_SEEN) == 0) {
            state[dir] |= FIN_SEEN;
            finSeq[dir] = seq + payloadLen;
        }
        if ((state[dir] & FIN_SEEN) != 0 && nextSeq[dir] == finSeq[dir] && (state[dir] & CLOSED) == 0) {
            dropBuffered(dir);
            state[dir] |= CLOSED;
        }
        final int d0 = flow * 2;
        if ((state[d0] & CLOSED) != 0 && (state[d0 + 1] & CLOSED) != 0) {
            flowsClosed.increment();
            close(flow, decoder, sink);
            release(flow);
        }
    }

    @Override
    public void advanceTime(final long nowNs, final MessageSink sink) {
        while (oldest >= 0 && nowNs - lastNs[oldest] > idleTimeoutNs) {
            final int f = oldest;
            flowsExpired.increment();
            close(f, decoderOf(f), sink);
            release(f);
        }
    }

    @Override
    public void flush(final MessageSink sink) {
        while (oldest >= 0) {
            final int f = oldest;
            flowsOpenAtEnd.increment();
            close(f, decoderOf(f), sink);
            release(f);
        }
    }

    // ---- stream data -------------------------------------------------------------------------------

    private void data(final int dir, final int seqIn, final ByteBuf b, final int offIn, final int lenIn,
        final PacketInfo p, final StreamDecoder decoder, final MessageSink sink) {
        int seq = seqIn;
        int off = offIn;
        int len = lenIn;
        int rel = seq - nextSeq[dir];
        if (rel > MAX_WINDOW || rel < -MAX_WINDOW) {
            // Neither new data nor a retransmission any peer could send (RFC 7323 2.3): a garbled or
            // forged segment, dropped so it cannot move the stream. Several in a row mean our position
            // is the wrong one: restart the direction there, as in mid-stream.
            outsideWindowSegments.increment();
            if (++outsideWindow[dir] < OUTSIDE_WINDOW_BEFORE_RESTART) {
                return;
            }
            windowRestarts.increment();
            restartAt(dir, seq);
            rel = 0;
        }
        outsideWindow[dir] = 0;
        if (rel < 0) {
            if (rel + len <= 0) {
                retransmitted.increment(); // every byte already seen: the first copy won
                return;
            }
            overlapBytes.getAndAdd(-rel);
            off -= rel;
            len += rel;
            seq = nextSeq[dir];
        } else if (rel > 0) {
            outOfOrder.increment();
            hold(dir, seq, b, off, len, p);
            if (heldCount[dir] > maxHeldPerDirection || heldBytes[dir] > maxMessageBytes
                || p.timeNs - gapSinceNs[dir] > gapTimeoutNs) {
                skipGap(dir, p, decoder, sink);
            }
            return;
        }
        inOrder(dir, b, off, len, p, decoder, sink);
        nextSeq[dir] = seq + len;
        drainHeld(dir, p, decoder, sink, false);
        if (heldHead[dir] >= 0 && p.timeNs - gapSinceNs[dir] > gapTimeoutNs) {
            skipGap(dir, p, decoder, sink);
        }
    }

    /** Drops what the direction holds (counted) and resynchronises it at seq. */
    private void restartAt(final int dir, final int seq) {
        while (heldHead[dir] >= 0) {
            final int s = heldHead[dir];
            incompleteBytes.getAndAdd(segLen[s]);
            heldHead[dir] = segNext[s];
            pool.freeChain(segChunk[s]);
            freeSegs[freeSegCount++] = s;
        }
        heldCount[dir] = 0;
        heldBytes[dir] = 0;
        dropBuffered(dir);
        skip[dir] = 0;
        nextSeq[dir] = seq;
        state[dir] = SYNCED | RESYNC; // a FIN seen before was at the position now given up
        outsideWindow[dir] = 0;
    }

    /** New bytes that follow the stream without a hole. */
    private void inOrder(final int dir, final ByteBuf b, final int off, final int len, final PacketInfo p,
        final StreamDecoder decoder, final MessageSink sink) {
        if (bufLen[dir] == 0) {
            final int used = frame(dir, b, off, len, p, decoder, sink);
            if (used < len) {
                append(dir, b, off + used, len - used);
            }
            return;
        }
        if (!append(dir, b, off, len)) {
            return;
        }
        frameBuffered(dir, p, decoder, sink);
    }

    /** Frames what the direction's buffer holds, through the scratch copy. */
    private void frameBuffered(final int dir, final PacketInfo p, final StreamDecoder decoder, final MessageSink sink) {
        while (bufLen[dir] > 0) {
            if (pending[dir] > 0 && bufLen[dir] < pending[dir]) {
                return; // the decoder already said how long the message is: wait for all of it
            }
            final int n = Math.min(bufLen[dir], maxMessageBytes);
            pool.readChain(bufHead[dir], bufHeadOff[dir], scratch, 0, n);
            final int used = frame(dir, scratchBuf, 0, n, p, decoder, sink);
            consume(dir, used);
            if (used < n || used == 0) {
                return;
            }
        }
    }

    /**
     * Cuts messages from [off, off + avail) and delivers each; returns how many bytes were used
     * (delivered, skipped or discarded). The rest starts an incomplete message.
     */
    private int frame(final int dir, final ByteBuf view, final int off, final int avail, final PacketInfo p,
        final StreamDecoder decoder, final MessageSink sink) {
        int at = 0;
        while (at < avail) {
            if (skip[dir] > 0) {
                final int k = Math.min(skip[dir], avail - at);
                skip[dir] -= k;
                at += k;
                continue;
            }
            final int left = avail - at;
            if ((state[dir] & RESYNC) != 0) {
                int start;
                try {
                    start = decoder.findMessageStart(view, off + at, left);
                } catch (final RuntimeException e) {
                    decoderException.increment();
                    start = -1;
                }
                if (start < 0 || start >= left) {
                    final int keep = Math.min(RESYNC_TAIL, left);
                    resyncSkippedBytes.getAndAdd(left - keep);
                    return avail - keep;
                }
                resyncSkippedBytes.getAndAdd(start);
                at += start;
                state[dir] &= ~RESYNC;
                resyncs.increment();
                continue;
            }
            int n;
            try {
                n = decoder.messageLength(view, off + at, left);
            } catch (final RuntimeException e) {
                decoderException.increment();
                n = StreamDecoder.NOT_A_MESSAGE;
            }
            if (n < 0) {
                notAMessage.increment();
                state[dir] |= RESYNC;
                resyncSkippedBytes.getAndAdd(1);
                at++; // look for the next start after this byte
                continue;
            }
            if (n == StreamDecoder.NEED_MORE) {
                if (left >= maxMessageBytes) {
                    tooBig.increment(); // no end in sight within the largest message we hold
                    state[dir] |= RESYNC;
                    resyncSkippedBytes.getAndAdd(1);
                    at++;
                    continue;
                }
                pending[dir] = 0;
                return at;
            }
            if (n > maxMessageBytes) {
                tooBig.increment();
                skip[dir] = n;
                continue;
            }
            if (n > left) {
                pending[dir] = n;
                return at;
            }
            pending[dir] = 0;
            messages.increment();
            try {
                decoder.decode(p, view, off + at, n, sink);
            } catch (final RuntimeException e) {
                decoderException.increment(); // decoders must not throw; the message is lost, counted
            }
            at += n;
        }
        return at;
    }

    /** Appends bytes to the direction's buffer; false (counted, buffer dropped, resync) when memory ran out. */
    private boolean append(final int dir, final ByteBuf b, final int off, final int len) {
        int done = 0;
        while (done < len) {
            int fill = (bufHeadOff[dir] + bufLen[dir]) & ChunkPool.CHUNK_MASK;
            if (bufLen[dir] == 0) {
                final int c = chunk(dir >>> 1);
                if (c < 0) {
                    return outOfMemory(dir, len - done);
                }
                bufHead[dir] = bufTail[dir] = c;
                bufHeadOff[dir] = 0;
                fill = 0;
            } else if (fill == 0) {
                final int c = chunk(dir >>> 1);
                if (c < 0) {
                    return outOfMemory(dir, len - done);
                }
                pool.link(bufTail[dir], c);
                bufTail[dir] = c;
            }
            final int k = Math.min(len - done, ChunkPool.CHUNK_BYTES - fill);
            pool.write(bufTail[dir], fill, b, off + done, k);
            bufLen[dir] += k;
            done += k;
        }
        return true;
    }

    private boolean outOfMemory(final int dir, final int lost) {
        noMemoryBytes.getAndAdd(lost + bufLen[dir]);
        dropBufferedSilently(dir);
        state[dir] |= RESYNC;
        return false;
    }

    /** A chunk for flow's data: evicts the least recently seen other flows when the budget is used up. */
    private int chunk(final int flow) {
        int c = pool.allocate();
        while (c < 0) {
            final int victim = oldest == flow ? newer[oldest] : oldest;
            if (victim < 0) {
                return -1;
            }
            flowsEvicted.increment();
            close(victim, decoderOf(victim), null);
            release(victim);
            c = pool.allocate();
        }
        return c;
    }

    private void consume(final int dir, final int n) {
        if (n >= bufLen[dir]) {
            pool.freeChain(bufHead[dir]);
            bufHead[dir] = bufTail[dir] = -1;
            bufHeadOff[dir] = 0;
            bufLen[dir] = 0;
            return;
        }
        int headOff = bufHeadOff[dir] + n;
        int head = bufHead[dir];
        while (headOff >= ChunkPool.CHUNK_BYTES) {
            head = pool.freeOne(head);
            headOff -= ChunkPool.CHUNK_BYTES;
        }
        bufHead[dir] = head;
        bufHeadOff[dir] = headOff;
        bufLen[dir] -= n;
    }

    /** Drops the incomplete message at the head of the buffer, counting its bytes. */
    private void dropBuffered(final int dir) {
        incompleteBytes.getAndAdd(bufLen[dir]);
        dropBufferedSilently(dir);
    }

    private void dropBufferedSilently(final int dir) {
        pool.freeChain(bufHead[dir]);
        bufHead[dir] = bufTail[dir] = -1;
        bufHeadOff[dir] = 0;
        bufLen[dir] = 0;
        pending[dir] = 0;
    }

    // ---- out-of-order segments ------------------------------------------------------------------------

    /** Keeps the bytes of an early segment not already held (the first copy of a byte wins). */
    private void hold(final int dir, final int seq, final ByteBuf b, final int off, final int len, final PacketInfo p) {
        if (heldHead[dir] < 0) {
            gapSinceNs[dir] = p.timeNs;
        }
        final int end = seq + len;
        int cur = seq;
        int prev = -1;
        int s = heldHead[dir];
        while (s >= 0 && cur - end < 0) {
            final int sStart = segSeq[s];
            final int sEnd = sStart + segLen[s];
            if (sEnd - cur <= 0) {
                prev = s;
                s = segNext[s];
                continue;
            }
            if (sStart - cur > 0) {
                final int pieceEnd = sStart - end < 0 ? sStart : end;
                final int n = insertAfter(dir, prev, cur, b, off + (cur - seq), pieceEnd - cur, p);
                if (n < 0) {
                    return;
                }
                prev = n;
                cur = pieceEnd;
            } else {
                final int covered = (sEnd - end < 0 ? sEnd : end) - cur;
                overlapBytes.getAndAdd(covered);
                cur += covered;
                prev = s;
                s = segNext[s];
            }
        }
        if (cur - end < 0) {
            insertAfter(dir, prev, cur, b, off + (cur - seq), end - cur, p);
        }
    }

    /** A held segment after prev (-1: at the head); -1 when the pools are full (bytes counted). */
    private int insertAfter(final int dir, final int prev, final int seq, final ByteBuf b, final int off,
        final int len, final PacketInfo p) {
        if (freeSegCount == 0) {
            heldOverflowBytes.getAndAdd(len);
            return -1;
        }
        int head = -1;
        int tail = -1;
        for (int done = 0; done < len; ) {
            final int c = pool.allocate();
            if (c < 0) {
                pool.freeChain(head);
                noMemoryBytes.getAndAdd(len);
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
        final int s = freeSegs[--freeSegCount];
        segSeq[s] = seq;
        segLen[s] = len;
        segChunk[s] = head;
        segFrame[s] = p.frame;
        segNs[s] = p.timeNs;
        if (prev < 0) {
            segNext[s] = heldHead[dir];
            heldHead[dir] = s;
        } else {
            segNext[s] = segNext[prev];
            segNext[prev] = s;
        }
        heldCount[dir]++;
        heldBytes[dir] += len;
        return s;
    }

    /** Moves held segments that now follow the stream into it and frames them. */
    private void drainHeld(final int dir, final PacketInfo p, final StreamDecoder decoder, final MessageSink sink,
        final boolean closing) {
        while (heldHead[dir] >= 0) {
            final int s = heldHead[dir];
            final int rel = segSeq[s] - nextSeq[dir];
            if (rel > 0) {
                gapSinceNs[dir] = p.timeNs; // a new hole: its clock starts now
                return;
            }
            heldHead[dir] = segNext[s];
            heldCount[dir]--;
            heldBytes[dir] -= segLen[s];
            final int trim = -rel;
            if (trim < segLen[s]) {
                if (closing) {
                    p.frame = segFrame[s];
                    p.timeNs = segNs[s];
                }
                appendHeld(dir, s, trim);
                nextSeq[dir] = segSeq[s] + segLen[s];
                frameBuffered(dir, p, decoder, sink);
            }
            pool.freeChain(segChunk[s]);
            freeSegs[freeSegCount++] = s;
        }
    }

    private void appendHeld(final int dir, final int s, final int from) {
        int c = segChunk[s];
        int pos = from;
        while (pos >= ChunkPool.CHUNK_BYTES) {
            c = pool.next(c);
            pos -= ChunkPool.CHUNK_BYTES;
        }
        int left = segLen[s] - from;
        while (left > 0) {
            final int k = Math.min(left, ChunkPool.CHUNK_BYTES - pos);
            pool.read(c, pos, scratch, 0, k);
            if (!append(dir, scratchBuf, 0, k)) {
                return;
            }
            left -= k;
            pos = 0;
            c = pool.next(c);
        }
    }

    /**
     * The hole before the first held segment will not fill: count its bytes, drop the message it
     * cut, and go on from the held data.
     */
    private void skipGap(final int dir, final PacketInfo p, final StreamDecoder decoder, final MessageSink sink) {
        declareHoleLost(dir);
        drainHeld(dir, p, decoder, sink, false);
    }

    private void declareHoleLost(final int dir) {
        final int first = heldHead[dir];
        final int hole = segSeq[first] - nextSeq[dir];
        gaps.increment();
        lostBytes.getAndAdd(hole);
        if (bufLen[dir] > 0) {
            final int missing = pending[dir] - bufLen[dir]; // > 0 when the cut message's length is known
            incompleteBytes.getAndAdd(bufLen[dir]);
            dropBufferedSilently(dir);
            if (missing >= hole) {
                skip[dir] = missing - hole; // the rest of that message is in the held data: skip it exactly
            } else {
                skip[dir] = 0;
                state[dir] |= RESYNC;
            }
        } else if (skip[dir] >= hole) {
            skip[dir] -= hole; // the hole fell inside a message we were skipping anyway
        } else {
            skip[dir] = 0;
            state[dir] |= RESYNC;
        }
        nextSeq[dir] = segSeq[first];
    }

    // ---- flows -----------------------------------------------------------------------------------------

    /** Delivers what is complete in both directions (holes declared lost) and counts the rest. */
    private void close(final int flow, final StreamDecoder decoder, final MessageSink sink) {
        for (int d = 0; d < 2; d++) {
            final int dir = flow * 2 + d;
            if (heldHead[dir] >= 0 && decoder != null && sink != null) {
                final PacketInfo info = closingInfo(flow, d);
                while (heldHead[dir] >= 0) {
                    declareHoleLost(dir);
                    drainHeld(dir, info, decoder, sink, true);
                }
            }
            // No decoder any more (routes changed), or an eviction inside another flow's append:
            // the held bytes are counted, not framed.
            while (heldHead[dir] >= 0) {
                final int s = heldHead[dir];
                incompleteBytes.getAndAdd(segLen[s]);
                heldHead[dir] = segNext[s];
                pool.freeChain(segChunk[s]);
                freeSegs[freeSegCount++] = s;
            }
            heldCount[dir] = 0;
            heldBytes[dir] = 0;
            dropBuffered(dir);
        }
    }

    private PacketInfo closingInfo(final int flow, final int d) {
        final PacketInfo info = closing.reset();
        info.frame = lastFrame[flow];
        info.timeNs = lastNs[flow];
        info.ipVersion = version[flow];
        info.transport = PacketInfo.TRANSPORT_TCP;
        final int aPort = ports[flow] >>> 16;
        final int bPort = ports[flow] & 0xFFFF;
        if (d == 0) {
            info.srcHi = aHi[flow];
            info.srcLo = aLo[flow];
            info.dstHi = bHi[flow];
            info.dstLo = bLo[flow];
            info.srcPort = aPort;
            info.dstPort = bPort;
        } else {
            info.srcHi = bHi[flow];
            info.srcLo = bLo[flow];
            info.dstHi = aHi[flow];
            info.dstLo = aLo[flow];
            info.srcPort = bPort;
            info.dstPort = aPort;
        }
        return info;
    }

    private StreamDecoder decoderOf(final int flow) {
        return dispatch.tcpDecoder(ports[flow] >>> 16, ports[flow] & 0xFFFF);
    }

    private static boolean lessOrEqual(final long hi1, final long lo1, final int port1, final long hi2, final long lo2,
        final int port2) {
        if (hi1 != hi2) {
            return Long.compareUnsigned(hi1, hi2) < 0;
        }
        if (lo1 != lo2) {
            return Long.compareUnsigned(lo1, lo2) < 0;
        }
        return port1 <= port2;
    }

    private int find(final int v, final long ah, final long al, final long bh, final long bl, final int pp) {
        int f = buckets[hash(ah, al, bh, bl, pp) & bucketMask];
        while (f >= 0) {
            if (ports[f] == pp && aLo[f] == al && bLo[f] == bl && aHi[f] == ah && bHi[f] == bh && version[f] == v) {
                return f;
            }
            f = chainNext[f];
        }
        return -1;
    }

    private int allocate(final int v, final long ah, final long al, final long bh, final long bl, final int pp,
        final StreamDecoder decoder, final MessageSink sink) {
        if (freeFlowCount == 0) {
            final int victim = oldest;
            flowsEvicted.increment();
            close(victim, decoderOf(victim), sink);
            release(victim);
        }
        final int f = freeFlows[--freeFlowCount];
        version[f] = v;
        aHi[f] = ah;
        aLo[f] = al;
        bHi[f] = bh;
        bLo[f] = bl;
        ports[f] = pp;
        final int bucket = hash(ah, al, bh, bl, pp) & bucketMask;
        chainNext[f] = buckets[bucket];
        buckets[bucket] = f;
        older[f] = newest;
        newer[f] = -1;
        if (newest >= 0) {
            newer[newest] = f;
        } else {
            oldest = f;
        }
        newest = f;
        for (int d = f * 2; d < f * 2 + 2; d++) {
            state[d] = 0;
            nextSeq[d] = 0;
            pending[d] = 0;
            skip[d] = 0;
            finSeq[d] = 0;
            heldCount[d] = 0;
            heldBytes[d] = 0;
            outsideWindow[d] = 0;
        }
        active++;
        flowsCreated.increment();
        return f;
    }

    /** Moves a flow to the newest end of the idle list. */
    private void touch(final int f, final long nowNs, final long frame) {
        lastNs[f] = nowNs;
        lastFrame[f] = frame;
        if (newest == f) {
            return;
        }
        unlink(f);
        older[f] = newest;
        newer[f] = -1;
        if (newest >= 0) {
            newer[newest] = f;
        } else {
            oldest = f;
        }
        newest = f;
    }

    private void unlink(final int f) {
        final int o = older[f];
        final int n = newer[f];
        if (o >= 0) {
            newer[o] = n;
        } else {
            oldest = n;
        }
        if (n >= 0) {
            older[n] = o;
        } else {
            newest = o;
        }
    }

    /** Frees a flow whose buffers {@link #close} already emptied. */
    private void release(final int f) {
        final int bucket = hash(aHi[f], aLo[f], bHi[f], bLo[f], ports[f]) & bucketMask;
        if (buckets[bucket] == f) {
            buckets[bucket] = chainNext[f];
        } else {
            int q = buckets[bucket];
            while (chainNext[q] != f) {
                q = chainNext[q];
            }
            chainNext[q] = chainNext[f];
        }
        unlink(f);
        freeFlows[freeFlowCount++] = f;
        active--;
    }

    private static int hash(final long ah, final long al, final long bh, final long bl, final int pp) {
        long h = (al * 0x9E3779B97F4A7C15L) ^ (bl * 0xC2B2AE3D27D4EB4FL) ^ (ah * 31 + bh) ^ pp;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 29));
    }
}
