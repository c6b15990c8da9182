package io.sigmatch.decoder.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.FrameLog;
import io.sigmatch.decoder.testing.Packets;
import io.sigmatch.decoder.testing.PcapWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PcapReaderTest {
    private static final long T0 = 1_700_000_000_123_456_789L;

    @TempDir
    Path dir;

    private final Counters counters = new Counters();

    /** The file header and one record, byte by byte, in each byte order and resolution. */
    @ParameterizedTest
    @CsvSource({"BIG_ENDIAN,false", "LITTLE_ENDIAN,false", "BIG_ENDIAN,true", "LITTLE_ENDIAN,true"})
    void readsEitherByteOrderAndResolution(final String orderName, final boolean nanos) throws IOException {
        final ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        final byte[] packet = {1, 2, 3, 4, 5};
        final byte[] file = new ByteWriter(order)
            .u32(nanos ? 0xA1B23C4DL : 0xA1B2C3D4L) // magic: byte order and timestamp resolution
            .u16(2) // version major
            .u16(4) // version minor
            .u32(0) // reserved (thiszone)
            .u32(0) // reserved (sigfigs)
            .u32(65_535) // snap length
            .u32(0x1000_0000L | LinkType.ETHERNET) // link type, with FCS bits above that must be masked
            .u32(1_700_000_000L) // record: timestamp seconds
            .u32(nanos ? 123_456_789 : 123_456) // record: fraction in µs or ns
            .u32(5) // record: captured length
            .u32(60) // record: original length (the snap length cut it)
            .bytes(packet)
            .toByteArray();
        final FrameLog log = FrameLog.read(Files.write(dir.resolve("f.pcap"), file), counters);

        assertEquals(1, log.frames.size());
        final FrameLog.Seen f = log.frames.get(0);
        assertEquals(1, f.number());
        assertEquals(nanos ? T0 : T0 - 789, f.timeNs());
        assertEquals(0, f.interfaceId());
        assertEquals(LinkType.ETHERNET, f.linkType());
        assertEquals(5, f.capturedLength());
        assertEquals(60, f.originalLength());
        assertArrayEquals(packet, f.bytes());
        assertNull(log.stopReason);
        assertEquals(1, counters.get("capture.packets"));
        assertEquals(5, counters.get("capture.bytes"));
    }

    @Test
    void numbersFramesFromOneAndStreamsMoreThanTheBufferHolds() throws IOException {
        // 3000 records of 1 KiB: three times the 1 MiB window, so the reader must refill and compact.
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, false, 65_535, LinkType.ETHERNET);
        for (int i = 0; i < 3000; i++) {
            w.packet(T0 + i * 1_000_000L, Packets.payload(1000 + (i % 7), i));
        }
        final FrameLog log = FrameLog.read(w.writeTo(dir.resolve("big.pcap")), counters);
        assertEquals(3000, log.frames.size());
        for (int i = 0; i < 3000; i++) {
            final FrameLog.Seen f = log.frames.get(i);
            assertEquals(i + 1, f.number());
            assertArrayEquals(Packets.payload(1000 + (i % 7), i), f.bytes(), "frame " + (i + 1));
        }
        assertNull(log.stopReason);
    }

    @Test
    void readNextDeliversOneFrameAtATime() throws IOException {
        final Path file = new PcapWriter(ByteOrder.BIG_ENDIAN, true, 0, LinkType.RAW)
            .packet(T0, new byte[] {0x45}).packet(T0 + 1, new byte[] {0x60}).writeTo(dir.resolve("two.pcap"));
        try (CaptureFileReader reader = CaptureFileReader.open(file, counters)) {
            final FrameLog log = new FrameLog();
            assertTrue(reader.readNext(log));
            assertEquals(1, log.frames.size());
            assertTrue(reader.readNext(log));
            assertEquals(false, reader.readNext(log));
            assertEquals(false, reader.readNext(log));
            assertEquals(2, log.frames.size());
            assertEquals(T0 + 1, log.frames.get(1).timeNs());
            assertNull(reader.stopReason());
            assertTrue(reader.finished());
        }
    }

    @Test
    void recordAboveSnapLengthIsCountedButDelivered() throws IOException {
        // Snap length 64 but a 100-byte record: framing is consistent, so it is read (as Wireshark does).
        final Path file = new PcapWriter(ByteOrder.LITTLE_ENDIAN, false, 64, LinkType.ETHERNET)
            .packet(T0, Packets.payload(100, 0)).packet(T0, Packets.payload(10, 0)).writeTo(dir.resolve("snap.pcap"));
        final FrameLog log = FrameLog.read(file, counters);
        assertEquals(2, log.frames.size());
        assertEquals(1, counters.get("capture.error.oversized_record"));
        assertNull(log.stopReason);
    }

    @Test
    void recordAboveTheHardCapStopsReading() throws IOException {
        // A captured length over 256 KiB means the header is garbage: the next record's position is unknown.
        final Path file = new PcapWriter(ByteOrder.LITTLE_ENDIAN, false, 0, LinkType.ETHERNET)
            .packet(T0, Packets.payload(20, 0))
            .packet(T0, new byte[0], CaptureFileReader.MAX_RECORD_BYTES + 1, 100)
            .raw(Packets.payload(300, 0))
            .writeTo(dir.resolve("huge.pcap"));
        final FrameLog log = FrameLog.read(file, counters);
        assertEquals(1, log.frames.size());
        assertEquals(CaptureFileReader.OVERSIZED_RECORD, log.stopReason);
        assertEquals(1, counters.get("capture.error.oversized_record"));
    }

    @Test
    void recordAtTheHardCapIsRead() throws IOException {
        final Path file = new PcapWriter(ByteOrder.LITTLE_ENDIAN, false, 0, LinkType.ETHERNET)
            .packet(T0, Packets.payload(CaptureFileReader.MAX_RECORD_BYTES, 3)).writeTo(dir.resolve("max.pcap"));
        final FrameLog log = FrameLog.read(file, counters);
        assertEquals(1, log.frames.size());
        assertEquals(CaptureFileReader.MAX_RECORD_BYTES, log.frames.get(0).capturedLength());
        assertNull(log.stopReason);
    }

    @Test
    void fileEndingInsideARecordIsTruncated() throws IOException {
        final byte[] whole = new PcapWriter(ByteOrder.BIG_ENDIAN, false, 0, LinkType.ETHERNET)
            .packet(T0, Packets.payload(40, 0)).packet(T0, Packets.payload(40, 1)).toByteArray();
        final byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 10);
        final FrameLog log = FrameLog.read(Files.write(dir.resolve("cut.pcap"), cut), counters);
        assertEquals(1, log.frames.size());
        assertEquals(CaptureFileReader.TRUNCATED_RECORD, log.stopReason);
        assertEquals(1, counters.get("capture.error.truncated_record"));
    }

    @Test
    void badMagicDeliversNothingAndSaysWhy() throws IOException {
        final byte[] text = "this is not a capture file at all\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final FrameLog log = FrameLog.read(Files.write(dir.resolve("x.txt"), text), counters);
        assertEquals(0, log.frames.size());
        assertEquals(CaptureFileReader.BAD_MAGIC, log.stopReason);
        assertEquals(1, counters.get("capture.error.bad_magic"));
    }

    @Test
    void emptyAndShortFilesAreTruncatedHeaders() throws IOException {
        assertEquals(CaptureFileReader.TRUNCATED_FILE_HEADER,
            FrameLog.read(Files.write(dir.resolve("empty.pcap"), new byte[0]), counters).stopReason);
        final byte[] half = java.util.Arrays.copyOf(
            new PcapWriter(ByteOrder.BIG_ENDIAN, false, 0, 1).toByteArray(), 12);
        assertEquals(CaptureFileReader.TRUNCATED_FILE_HEADER,
            FrameLog.read(Files.write(dir.resolve("half.pcap"), half), counters).stopReason);
        assertEquals(2, counters.get("capture.error.truncated_file_header"));
    }

    @Test
    void unsupportedVersionStops() throws IOException {
        final byte[] file = new ByteWriter(ByteOrder.LITTLE_ENDIAN)
            .u32(0xA1B2C3D4L) // magic
            .u16(1) // version major 1: the pre-1998 format, not read
            .u16(0) // version minor
            .zeros(8) // reserved
            .u32(0) // snap length
            .u32(1) // link type
            .toByteArray();
        final FrameLog log = FrameLog.read(Files.write(dir.resolve("v1.pcap"), file), counters);
        assertEquals(CaptureFileReader.UNSUPPORTED_VERSION, log.stopReason);
    }

    @Test
    void openingAMissingFileIsAnIoException() {
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
            () -> CaptureFileReader.open(dir.resolve("absent.pcap"), counters));
    }

    @Test
    void timeConversionMatchesWiresharkArithmetic() {
        // 10^-6 s units (the default) and 10^-9
        assertEquals(1_500_000_000_123_456_000L, CaptureFileReader.toNanos(1_500_000_000_123_456L, 1_000_000L, 0));
        assertEquals(1_500_000_000_123_456_789L, CaptureFileReader.toNanos(1_500_000_000_123_456_789L, 1_000_000_000L, 0));
        // 2^-20 s: 0.5 s is 2^19 units; nanoseconds truncate like Wireshark's integer division
        assertEquals(3_500_000_000L, CaptureFileReader.toNanos((3L << 20) | (1L << 19), 1L << 20, 0));
        assertEquals(3_000_000_953L, CaptureFileReader.toNanos((3L << 20) | 1, 1L << 20, 0));
        // if_tsoffset adds whole seconds
        assertEquals(1_000_000_005_000_000_000L, CaptureFileReader.toNanos(5, 1, 1_000_000_000L));
        // 10^-12 s units: below a nanosecond is cut off
        assertEquals(2_000_000_001L, CaptureFileReader.toNanos(2_000_000_001_999L, 1_000_000_000_000L, 0));
        // 10^-12 s, 1.25 s: the product needs 128 bits (Wireshark 4.0 wraps and shows 1.010192327)
        assertEquals(1_250_000_000L, CaptureFileReader.toNanos(1_250_000_000_000L, 1_000_000_000_000L, 0));
        // 2^-40 s, 5.5 s (Wireshark 4.0: 5.013460736)
        assertEquals(5_500_000_000L, CaptureFileReader.toNanos(5L << 40 | 1L << 39, 1L << 40, 0));
        // 10^-19 s (units above 2^63), just under a second: 999999999
        assertEquals(999_999_999L, CaptureFileReader.toNanos(-8_446_744_073_709_551_617L, -8_446_744_073_709_551_616L, 0));
    }

    @org.junit.jupiter.api.RepeatedTest(5)
    void fractionIsExactForEveryResolution(final org.junit.jupiter.api.RepetitionInfo info) {
        final long seed = 7_000 + info.getCurrentRepetition();
        final java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < 20_000; i++) {
            final long units = random.nextBoolean() ? 1L << (1 + random.nextInt(63))
                : java.math.BigInteger.TEN.pow(random.nextInt(20)).longValue();
            final long remainder = Long.remainderUnsigned(random.nextLong(), units);
            final java.math.BigInteger exact = new java.math.BigInteger(Long.toUnsignedString(remainder))
                .multiply(java.math.BigInteger.valueOf(1_000_000_000L))
                .divide(new java.math.BigInteger(Long.toUnsignedString(units)));
            assertEquals(exact.longValue(), CaptureFileReader.fractionNanos(remainder, units),
                "seed " + seed + " remainder " + Long.toUnsignedString(remainder) + " units " + Long.toUnsignedString(units));
        }
    }
}
