package io.sigmatch.decoder.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.FrameLog;
import io.sigmatch.decoder.testing.Packets;
import io.sigmatch.decoder.testing.PcapngWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pcapng (draft-ietf-opsawg-pcapng) blocks as the reader takes them, and every way they can be bad. */
class PcapngReaderTest {
    private static final byte[] P1 = Packets.payload(21, 1);
    private static final byte[] P2 = Packets.payload(22, 2);

    @TempDir
    Path dir;

    private final Counters counters = new Counters();

    private FrameLog read(final byte[] file) throws IOException {
        return FrameLog.read(Files.write(dir.resolve("t.pcapng"), file), counters);
    }

    @Test
    void sectionInterfaceAndPacketByteByByte() throws IOException {
        final byte[] file = new ByteWriter(ByteOrder.BIG_ENDIAN)
            // Section Header Block
            .u32(0x0A0D0D0A) // block type
            .u32(28) // block total length
            .u32(0x1A2B3C4D) // byte-order magic: this section is big-endian
            .u16(1).u16(0) // version 1.0
            .u64(-1) // section length unknown
            .u32(28) // block total length again
            // Interface Description Block
            .u32(1) // block type
            .u32(32) // block total length
            .u16(LinkType.LINUX_SLL2) // link type
            .u16(0) // reserved
            .u32(0) // snap length: none
            .u16(9).u16(1).u8(9).zeros(3) // if_tsresol = 9: nanoseconds, padded to 4
            .u16(0).u16(0) // opt_endofopt
            .u32(32) // block total length again
            // Enhanced Packet Block
            .u32(6) // block type
            .u32(32 + 24) // block total length: 28 fixed + 21 data + 3 padding + 4
            .u32(0) // interface 0
            .u32(1_700_000_000_123_456_789L >>> 32) // timestamp high (nanoseconds)
            .u32(1_700_000_000_123_456_789L & 0xFFFF_FFFFL) // timestamp low
            .u32(21) // captured length
            .u32(1500) // original length
            .bytes(P1).zeros(3) // packet data, padded
            .u32(32 + 24) // block total length again
            .toByteArray();
        final FrameLog log = read(file);
        assertEquals(1, log.frames.size());
        final FrameLog.Seen f = log.frames.get(0);
        assertEquals(1, f.number());
        assertEquals(1_700_000_000_123_456_789L, f.timeNs());
        assertEquals(LinkType.LINUX_SLL2, f.linkType());
        assertEquals(21, f.capturedLength());
        assertEquals(1500, f.originalLength());
        assertArrayEquals(P1, f.bytes());
        assertNull(log.stopReason);
    }

    @Test
    void eachSectionHasItsOwnInterfacesAndByteOrder() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        w.interfaceDescription(LinkType.ETHERNET, 0, null, null);
        w.interfaceDescription(LinkType.RAW, 0, null, null);
        w.enhancedPacket(1, 5, P1);
        w.section(ByteOrder.BIG_ENDIAN);
        w.interfaceDescription(LinkType.LINUX_SLL, 0, null, null);
        w.enhancedPacket(1, 6, P2); // interface 1 does not exist in this section
        w.enhancedPacket(0, 7, P2);
        final FrameLog log = read(w.toByteArray());
        assertEquals(2, log.frames.size());
        assertEquals(LinkType.RAW, log.frames.get(0).linkType());
        assertEquals(1, log.frames.get(0).interfaceId());
        assertEquals(LinkType.LINUX_SLL, log.frames.get(1).linkType());
        assertEquals(7_000, log.frames.get(1).timeNs());
        assertEquals(2, log.frames.get(1).number());
        assertEquals(1, counters.get("capture.error.unknown_interface"));
        assertNull(log.stopReason, "a packet on an unknown interface is skipped, reading goes on");
    }

    @Test
    void simplePacketBlockUsesInterfaceZeroAndThePreviousTime() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        w.interfaceDescription(LinkType.ETHERNET, 10, null, null); // snap length 10
        w.enhancedPacket(0, 1_000_000, Packets.payload(10, 0));
        w.simplePacket(Packets.payload(10, 5), 64); // 64 on the wire, 10 captured
        final FrameLog log = read(w.toByteArray());
        assertEquals(2, log.frames.size());
        assertEquals(1_000_000_000L, log.frames.get(1).timeNs());
        assertEquals(10, log.frames.get(1).capturedLength());
        assertEquals(64, log.frames.get(1).originalLength());
        assertArrayEquals(Packets.payload(10, 5), log.frames.get(1).bytes());
    }

    @Test
    void simplePacketBlockBeforeAnyInterface() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        w.simplePacket(P1, P1.length);
        w.interfaceDescription(LinkType.ETHERNET, 0, null, null);
        w.enhancedPacket(0, 1, P2);
        final FrameLog log = read(w.toByteArray());
        assertEquals(1, log.frames.size());
        assertEquals(1, counters.get("capture.error.unknown_interface"));
    }

    @Test
    void obsoletePacketBlock() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.BIG_ENDIAN);
        w.interfaceDescription(LinkType.ETHERNET, 0, null, null);
        w.interfaceDescription(LinkType.RAW, 0, 3, null); // milliseconds
        w.obsoletePacket(1, 1_700_000_000_123L, P1);
        final FrameLog log = read(w.toByteArray());
        assertEquals(1_700_000_000_123_000_000L, log.frames.get(0).timeNs());
        assertEquals(LinkType.RAW, log.frames.get(0).linkType());
    }

    @Test
    void timestampResolutionsAndOffset() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        w.interfaceDescription(1, 0, null, null); // default: 10^-6
        w.interfaceDescription(1, 0, 0, null); // 10^0: whole seconds
        w.interfaceDescription(1, 0, 0x80 | 30, null); // 2^-30
        w.interfaceDescription(1, 0, 12, 100L); // picoseconds, plus 100 s offset
        w.enhancedPacket(0, 1_500_000, P1);
        w.enhancedPacket(1, 2, P1);
        w.enhancedPacket(2, 3L << 30 | 1L << 29, P1); // 3.5 s
        w.enhancedPacket(3, 1_250_000_000_000L, P1); // 1.25 s + 100 s
        final FrameLog log = read(w.toByteArray());
        assertEquals(List.of(1_500_000_000L, 2_000_000_000L, 3_500_000_000L, 101_250_000_000L),
            log.frames.stream().map(FrameLog.Seen::timeNs).toList());
    }

    @Test
    void unusableTimestampResolutionFallsBackToMicroseconds() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        w.interfaceDescription(1, 0, 0x7F, null); // 10^-127: no such clock
        w.enhancedPacket(0, 2_000_000, P1);
        final FrameLog log = read(w.toByteArray());
        assertEquals(2_000_000_000L, log.frames.get(0).timeNs());
        assertEquals(1, counters.get("capture.error.bad_tsresol"));
    }

    @Test
    void nonPacketBlocksAreSkippedAndCustomBlocksTakeAFrameNumber() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        w.interfaceDescription(1, 0, null, null);
        w.block(PcapngWriter.NRB, new byte[] {0, 0, 0, 0}); // name resolution: end of records only
        w.enhancedPacket(0, 1, P1);
        w.block(PcapngWriter.ISB, new byte[12]); // interface statistics
        w.block(PcapngWriter.DSB, new byte[8]); // decryption secrets
        w.block(0x7777, new byte[0]); // unknown type
        w.block(PcapngWriter.CUSTOM, new byte[] {0, 0, 0x30, 0x39}); // Wireshark numbers these
        w.block(0x40000BAD, new byte[] {0, 0, 0x30, 0x39}); // custom, "do not copy" variant
        w.block(9, "__REALTIME_TIMESTAMP=1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // systemd journal
        w.enhancedPacket(0, 2, P2);
        final FrameLog log = read(w.toByteArray());
        assertEquals(2, log.frames.size());
        assertEquals(1, log.frames.get(0).number());
        assertEquals(5, log.frames.get(1).number(), "frames 2-4 are the custom and journal records");
        assertEquals(2, log.delivered);
        assertEquals(4, counters.get("capture.skipped_blocks"));
        assertEquals(3, counters.get("capture.skipped_records"));
    }

    @Test
    void trailingLengthMismatchStops() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        w.interfaceDescription(1, 0, null, null);
        w.enhancedPacket(0, 1, P1);
        final byte[] file = w.enhancedPacket(0, 2, P2).enhancedPacket(0, 3, P2).toByteArray();
        final int secondEnd = file.length - 56;
        file[secondEnd - 4] ^= 4; // the second packet's trailing length no longer matches
        final FrameLog log = read(file);
        assertEquals(1, log.frames.size());
        assertEquals(CaptureFileReader.BLOCK_LENGTH_MISMATCH, log.stopReason);
        assertEquals(1, counters.get("capture.error.block_length_mismatch"));
    }

    @Test
    void blockLengthNotAMultipleOfFourStops() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        w.interfaceDescription(1, 0, null, null);
        w.raw(new ByteWriter(ByteOrder.LITTLE_ENDIAN).u32(6).u32(33).zeros(25).toByteArray());
        final FrameLog log = read(w.toByteArray());
        assertEquals(CaptureFileReader.BAD_BLOCK_LENGTH, log.stopReason);
    }

    @Test
    void blockLengthBelowTheMinimumStops() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        w.raw(new ByteWriter(ByteOrder.LITTLE_ENDIAN).u32(6).u32(8).u32(8).toByteArray()); // 8 < 12 bytes of framing
        assertEquals(CaptureFileReader.BAD_BLOCK_LENGTH, read(w.toByteArray()).stopReason);
    }

    @Test
    void packetLongerThanItsBlockIsSkipped() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        w.interfaceDescription(1, 0, null, null);
        w.enhancedPacket(0, 1, P1, 2000, 2000); // says 2000 bytes, block holds 24
        w.enhancedPacket(0, 2, P2);
        final FrameLog log = read(w.toByteArray());
        assertEquals(1, log.frames.size());
        assertArrayEquals(P2, log.frames.get(0).bytes());
        assertEquals(1, counters.get("capture.error.bad_block"));
        assertNull(log.stopReason);
    }

    @Test
    void packetAboveTheSnapLengthIsCountedAndDelivered() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        w.interfaceDescription(1, 16, null, null);
        w.enhancedPacket(0, 1, P1);
        assertEquals(1, read(w.toByteArray()).frames.size());
        assertEquals(1, counters.get("capture.error.oversized_record"));
    }

    @Test
    void oversizedPacketBlocksAreSkippedWithoutLosingTheFraming() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        w.interfaceDescription(1, 0, null, null);
        w.enhancedPacket(0, 1, new byte[CaptureFileReader.MAX_RECORD_BYTES + 8]); // held in the buffer, too big
        w.enhancedPacket(0, 2, new byte[CaptureFileReader.MAX_BUFFERED_BLOCK_BYTES]); // streamed past
        w.block(0x1234, new byte[3 << 20]); // a 3 MiB unknown block: larger than the whole buffer
        w.enhancedPacket(0, 3, P1);
        final FrameLog log = read(w.toByteArray());
        assertEquals(1, log.frames.size());
        assertArrayEquals(P1, log.frames.get(0).bytes());
        assertEquals(2, counters.get("capture.error.oversized_record"));
        assertEquals(1, counters.get("capture.skipped_blocks"));
        assertNull(log.stopReason);
    }

    @Test
    void largeBlockEndingPastTheFileIsTruncated() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        w.raw(new ByteWriter(ByteOrder.LITTLE_ENDIAN).u32(0x1234).u32(8 << 20).zeros(100).toByteArray());
        assertEquals(CaptureFileReader.TRUNCATED_RECORD, read(w.toByteArray()).stopReason);
    }

    @Test
    void interfaceOptionsRunningPastTheBlockAreCounted() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        w.block(PcapngWriter.IDB, new ByteWriter(ByteOrder.LITTLE_ENDIAN)
            .u16(1).u16(0).u32(0) // Ethernet, no snap length
            .u16(9).u16(200).u8(9).zeros(3) // if_tsresol claiming 200 bytes
            .toByteArray());
        w.enhancedPacket(0, 1, P1);
        final FrameLog log = read(w.toByteArray());
        assertEquals(1, log.frames.size(), "the interface itself stays usable");
        assertEquals(1, counters.get("capture.error.bad_block"));
    }

    @Test
    void interfaceBlockTooShortKeepsTheNumbering() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        w.block(PcapngWriter.IDB, new byte[4]); // interface 0: no room for link type and snap length
        w.interfaceDescription(LinkType.RAW, 0, null, null); // interface 1
        w.enhancedPacket(0, 1, P1);
        w.enhancedPacket(1, 2, P2);
        final FrameLog log = read(w.toByteArray());
        assertEquals(1, log.frames.size());
        assertEquals(LinkType.RAW, log.frames.get(0).linkType());
        assertEquals(1, counters.get("capture.error.bad_block"));
        assertEquals(1, counters.get("capture.error.unknown_interface"));
    }

    @Test
    void moreInterfacesThanTheLimit() throws IOException {
        final PcapngWriter w = new PcapngWriter(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i <= CaptureFileReader.MAX_INTERFACES; i++) {
            w.interfaceDescription(LinkType.RAW, 0, null, null);
        }
        w.enhancedPacket(CaptureFileReader.MAX_INTERFACES, 1, P1);
        w.enhancedPacket(CaptureFileReader.MAX_INTERFACES - 1, 2, P2);
        final FrameLog log = read(w.toByteArray());
        assertEquals(1, log.frames.size());
        assertEquals(1, counters.get("capture.error.too_many_interfaces"));
        assertEquals(1, counters.get("capture.error.unknown_interface"));
    }

    @Test
    void sectionWithUnknownByteOrderMagic() throws IOException {
        final byte[] file = new ByteWriter(ByteOrder.LITTLE_ENDIAN)
            .u32(0x0A0D0D0A).u32(28) // SHB
            .u32(0x12345678) // not the byte-order magic in either order
            .u16(1).u16(0).u64(-1).u32(28).toByteArray();
        assertEquals(CaptureFileReader.BAD_MAGIC, read(file).stopReason);
    }

    @Test
    void sectionOfAnotherMajorVersion() throws IOException {
        final byte[] file = new ByteWriter(ByteOrder.LITTLE_ENDIAN)
            .u32(0x0A0D0D0A).u32(28).u32(0x1A2B3C4D)
            .u16(2).u16(0) // version 2.0: a format we do not know
            .u64(-1).u32(28).toByteArray();
        assertEquals(CaptureFileReader.UNSUPPORTED_VERSION, read(file).stopReason);
    }
}
