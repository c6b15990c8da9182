package io.sigmatch.decoder.capture;

import io.netty.buffer.ByteBuf;

/**
 * One captured packet as the capture source hands it over. A source owns one instance and refills
 * it for every packet: the fields and the bytes of {@link #buffer} are valid only during the
 * {@link FrameSink#onFrame} callback; a sink that keeps anything copies it.
 */
public final class Frame {
    /** 1-based number of the packet in the file, the number Wireshark shows. */
    public long number;
    /** Capture time, epoch nanoseconds. */
    public long timeNs;
    /** pcapng interface index within its section; 0 for pcap and live capture of one interface. */
    public int interfaceId;
    /** The LINKTYPE_* value ({@link LinkType}) of that interface. */
    public int linkType;
    public ByteBuf buffer;
    /** Index in {@link #buffer} of the first byte of the link-layer header. */
    public int offset;
    /** Bytes present in the capture, starting at {@link #offset}. */
    public int capturedLength;
    /** Length of the packet on the wire (larger than capturedLength when the snap length cut it). */
    public int originalLength;

    /** Copies every field of other (not the bytes: both then point into the same buffer). */
    public Frame copyFrom(final Frame other) {
        number = other.number;
        timeNs = other.timeNs;
        interfaceId = other.interfaceId;
        linkType = other.linkType;
        buffer = other.buffer;
        offset = other.offset;
        capturedLength = other.capturedLength;
        originalLength = other.originalLength;
        return this;
    }

    @Override
    public String toString() {
        return "frame " + number + " if " + interfaceId + " link " + linkType + " len " + capturedLength + "/" + originalLength;
    }
}
