package io.sigmatch.decoder.testing;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes pcapng files for tests (draft-ietf-opsawg-pcapng): sections in either byte order,
 * interfaces with their own link type, snap length, if_tsresol and if_tsoffset, the three packet
 * block kinds, and arbitrary other blocks.
 */
public final class PcapngWriter {
    public static final int SHB = 0x0A0D0D0A;
    public static final int IDB = 1;
    public static final int OPB = 2;
    public static final int SPB = 3;
    public static final int NRB = 4;
    public static final int ISB = 5;
    public static final int EPB = 6;
    public static final int DSB = 0x0A;
    public static final int CUSTOM = 0x00000BAD;

    private final java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
    private ByteOrder order;

    public PcapngWriter(final ByteOrder order) {
        section(order);
    }

    /** Starts a new section (its interfaces start again at 0). */
    public PcapngWriter section(final ByteOrder sectionOrder) {
        this.order = sectionOrder;
        final ByteWriter body = body();
        body.u32(0x1A2B3C4D); // byte-order magic
        body.u16(1); // major version
        body.u16(0); // minor version
        body.u64(-1L); // section length: not given
        return block(SHB, body.toByteArray());
    }

    /** An IDB; tsresol and tsOffsetSeconds are left out when null. */
    public PcapngWriter interfaceDescription(final int linkType, final int snaplen, final Integer tsresol,
        final Long tsOffsetSeconds) {
        final ByteWriter body = body();
        body.u16(linkType); // link type
        body.u16(0); // reserved
        body.u32(snaplen); // snap length
        if (tsresol != null) {
            body.u16(9).u16(1).u8(tsresol).pad4(); // if_tsresol
        }
        if (tsOffsetSeconds != null) {
            body.u16(14).u16(8).u64(tsOffsetSeconds); // if_tsoffset
        }
        if (tsresol != null || tsOffsetSeconds != null) {
            body.u16(0).u16(0); // opt_endofopt
        }
        return block(IDB, body.toByteArray());
    }

    /** An EPB whose timestamp is given in the interface's units. */
    public PcapngWriter enhancedPacket(final int interfaceId, final long timestampUnits, final byte[] data) {
        return enhancedPacket(interfaceId, timestampUnits, data, data.length, data.length);
    }

    public PcapngWriter enhancedPacket(final int interfaceId, final long timestampUnits, final byte[] data,
        final long capturedLength, final long originalLength) {
        final ByteWriter body = body();
        body.u32(interfaceId); // interface id
        body.u32(timestampUnits >>> 32); // timestamp (high)
        body.u32(timestampUnits); // timestamp (low)
        body.u32(capturedLength); // captured length
        body.u32(originalLength); // original length
        body.bytes(data).pad4(); // packet data
        return block(EPB, body.toByteArray());
    }

    public PcapngWriter simplePacket(final byte[] data, final long originalLength) {
        final ByteWriter body = body();
        body.u32(originalLength); // original length; captured = min(original, snaplen of interface 0)
        body.bytes(data).pad4(); // packet data
        return block(SPB, body.toByteArray());
    }

    public PcapngWriter obsoletePacket(final int interfaceId, final long timestampUnits, final byte[] data) {
        final ByteWriter body = body();
        body.u16(interfaceId); // interface id (16 bits in the obsolete block)
        body.u16(0); // drops count
        body.u32(timestampUnits >>> 32); // timestamp (high)
        body.u32(timestampUnits); // timestamp (low)
        body.u32(data.length); // captured length
        body.u32(data.length); // original length
        body.bytes(data).pad4(); // packet data
        return block(OPB, body.toByteArray());
    }

    /** Any block: type, body (padded here), both lengths. */
    public PcapngWriter block(final int type, final byte[] body) {
        final ByteWriter b = new ByteWriter(order);
        final int padded = (body.length + 3) & ~3;
        b.u32(type); // block type
        b.u32(12 + padded); // block total length
        b.bytes(body).pad4(); // body
        b.u32(12 + padded); // block total length again
        raw(b.toByteArray());
        return this;
    }

    /** A body writer in the current section's byte order. */
    public ByteWriter body() {
        return new ByteWriter(order);
    }

    public PcapngWriter raw(final byte[] bytes) {
        file.write(bytes, 0, bytes.length);
        return this;
    }

    public byte[] toByteArray() {
        return file.toByteArray();
    }

    public Path writeTo(final Path path) throws IOException {
        return Files.write(path, toByteArray());
    }
}
