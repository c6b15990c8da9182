package io.sigmatch.decoder;

/**
 * What the dissector knows about the packet a payload came from: capture position and time, the
 * IP endpoints and transport ports. Refilled per packet on the dissecting thread.
 *
 * <p>Addresses are kept as two longs each: an IPv4 address sits in the low 32 bits of {@code lo}
 * with {@code hi} = 0; an IPv6 address fills both. {@link #peerKey} folds both endpoints into one
 * direction-independent long for pairing requests with answers.
 */
public final class PacketInfo {
    public static final int TRANSPORT_UDP = 17;
    public static final int TRANSPORT_TCP = 6;
    public static final int TRANSPORT_SCTP = 132;

    public long frame;
    public long timeNs;
    public int sourceId;
    public int ipVersion;
    public long srcHi;
    public long srcLo;
    public long dstHi;
    public long dstLo;
    public int transport;
    public int srcPort;
    public int dstPort;
    /** SCTP payload protocol identifier (RFC 4960 3.3.1) of the user message, 0 otherwise. */
    public int sctpPpid;
    public int sctpStream;

    public PacketInfo reset() {
        frame = 0;
        timeNs = 0;
        sourceId = 0;
        ipVersion = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        transport = 0;
        srcPort = dstPort = 0;
        sctpPpid = 0;
        sctpStream = 0;
        return this;
    }

    public PacketInfo copyFrom(final PacketInfo o) {
        frame = o.frame;
        timeNs = o.timeNs;
        sourceId = o.sourceId;
        ipVersion = o.ipVersion;
        srcHi = o.srcHi;
        srcLo = o.srcLo;
        dstHi = o.dstHi;
        dstLo = o.dstLo;
        transport = o.transport;
        srcPort = o.srcPort;
        dstPort = o.dstPort;
        sctpPpid = o.sctpPpid;
        sctpStream = o.sctpStream;
        return this;
    }

    /** Hash of the source endpoint (address and port). */
    public long srcKey() {
        return mix(srcHi, srcLo, srcPort);
    }

    /** Hash of the destination endpoint (address and port). */
    public long dstKey() {
        return mix(dstHi, dstLo, dstPort);
    }

    /** The same value for both directions of a conversation. */
    public long peerKey() {
        final long a = srcKey();
        final long b = dstKey();
        return a < b ? a * 31 + b : b * 31 + a;
    }

    private static long mix(final long hi, final long lo, final int port) {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo;
        h = (h ^ (h >>> 29)) * 0xBF58476D1CE4E5B9L;
        h ^= port * 0x94D049BB133111EBL;
        return h ^ (h >>> 32);
    }
}
