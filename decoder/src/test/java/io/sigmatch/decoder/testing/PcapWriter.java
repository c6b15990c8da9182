package io.sigmatch.decoder.testing;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes classic pcap files for tests (draft-ietf-opsawg-pcap): either byte order, microsecond or
 * nanosecond timestamps. Records may lie about their lengths on purpose.
 */
public final class PcapWriter {
    public static final int MAGIC_MICROS = 0xA1B2C3D4;
    public static final int MAGIC_NANOS = 0xA1B23C4D;

    private final ByteWriter w;
    private final boolean nanos;

    public PcapWriter(final ByteOrder order, final boolean nanos, final int snaplen, final int linkType) {
        this.w = new ByteWriter(order);
        this.nanos = nanos;
        w.u32(nanos ? MAGIC_NANOS : MAGIC_MICROS); // magic, written in the file's byte order
        w.u16(2); // major version
        w.u16(4); // minor version
        w.u32(0); // reserved (thiszone)
        w.u32(0); // reserved (sigfigs)
        w.u32(snaplen); // snap length
        w.u32(linkType); // link type
    }

    /** A record stamped timeNs (epoch ns; truncated to µs in a µs file). */
    public PcapWriter packet(final long timeNs, final byte[] data) {
        return packet(timeNs, data, data.length, data.length);
    }

    public PcapWriter packet(final long timeNs, final byte[] data, final long capturedLength, final long originalLength) {
        final long seconds = Math.floorDiv(timeNs, 1_000_000_000L);
        final long ns = Math.floorMod(timeNs, 1_000_000_000L);
        w.u32(seconds); // timestamp seconds
        w.u32(nanos ? ns : ns / 1000); // timestamp fraction
        w.u32(capturedLength); // captured length
        w.u32(originalLength); // original length
        w.bytes(data);
        return this;
    }

    public PcapWriter raw(final byte[] bytes) {
        w.bytes(bytes);
        return this;
    }

    public byte[] toByteArray() {
        return w.toByteArray();
    }

    public Path writeTo(final Path file) throws IOException {
        return Files.write(file, toByteArray());
    }
}
