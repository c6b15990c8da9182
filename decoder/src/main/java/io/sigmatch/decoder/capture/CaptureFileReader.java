package io.sigmatch.decoder.capture;

import static io.sigmatch.decoder.capture.PcapngLayout.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Streams the packets of a pcap or pcapng file to a {@link FrameSink}, with memory bounded by one
 * direct read buffer whatever the file size: the buffer is refilled from the file as records are
 * consumed, moving the unread tail to the front first (compaction), and every frame is a view into
 * it. Nothing is allocated per packet.
 *
 * <p>The format is detected from the first four bytes: pcap in either byte order with microsecond
 * or nanosecond timestamps, or pcapng (any number of sections, each with its own byte order and
 * interfaces; Enhanced, Simple and obsolete Packet Blocks; every other block type skipped).
 *
 * <p>Bad input never throws. Each problem increments {@code capture.error.<reason>}; when the
 * reader can no longer tell where the next record starts it stops and {@link #stopReason()} names
 * the reason. The rules:
 * <ul>
 * <li>pcap has no framing besides each record's own length, so a record whose captured length is
 * above {@link #MAX_RECORD_BYTES} (256 KiB, libpcap's and Wireshark's limit for these link types)
 * means the header is garbage: counted as {@code oversized_record} and reading stops, because
 * whatever follows would be parsed from a wrong offset. A record larger than the file's snap length
 * but within the limit is counted as {@code oversized_record} too but still delivered: its framing
 * is consistent, and writers that declare a small snap length and then store larger (offloaded)
 * packets exist; Wireshark reads them as well.</li>
 * <li>pcapng blocks carry their length at both ends, so a bad packet block (too large, a packet
 * that does not fit its block, an interface that was never described) is counted and skipped and
 * reading goes on; a block length that is not a multiple of 4, is below the minimum, or disagrees
 * with its trailing copy stops reading.</li>
 * <li>A file that ends inside a record is {@code truncated_record}; an I/O error is {@code io}.</li>
 * </ul>
 */
public final class CaptureFileReader implements AutoCloseable {
    /**
     * Largest captured length accepted: libpcap's MAXIMUM_SNAPLEN and Wireshark's
     * WTAP_MAX_PACKET_SIZE_STANDARD for the link types sigmatch reads.
     */
    public static final int MAX_RECORD_BYTES = 262_144;
    /** Largest pcapng block held in the buffer: a maximal packet plus 64 KiB of options. */
    public static final int MAX_BUFFERED_BLOCK_BYTES = MAX_RECORD_BYTES + 65_536;
    public static final int DEFAULT_BUFFER_BYTES = 1 << 20;
    /** Interfaces per pcapng section; a further IDB is counted and its packets skipped. */
    public static final int MAX_INTERFACES = 1024;

    public static final String BAD_MAGIC = "bad_magic";
    public static final String TRUNCATED_FILE_HEADER = "truncated_file_header";
    public static final String UNSUPPORTED_VERSION = "unsupported_version";
    public static final String TRUNCATED_RECORD = "truncated_record";
    public static final String OVERSIZED_RECORD = "oversized_record";
    public static final String BAD_BLOCK_LENGTH = "bad_block_length";
    public static final String BLOCK_LENGTH_MISMATCH = "block_length_mismatch";
    public static final String BAD_BLOCK = "bad_block";
    public static final String UNKNOWN_INTERFACE = "unknown_interface";
    public static final String TOO_MANY_INTERFACES = "too_many_interfaces";
    public static final String BAD_TSRESOL = "bad_tsresol";
    public static final String IO = "io";
    public static final String INTERNAL = "internal";

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long DEFAULT_UNITS_PER_SECOND = 1_000_000L;
    private static final int FORMAT_PCAP = 1;
    private static final int FORMAT_PCAPNG = 2;
    private static final int PCAPNG_MAGIC = BLOCK_SECTION_HEADER;

    private final FileChannel channel;
    private final ByteBuffer window;
    private final ByteBuf buffer;
    private final int capacity;
    private int start;
    private int end;
    private boolean endOfFile;
    private boolean closed;

    private final Frame frame = new Frame();
    private long frameNumber;
    private long lastTimeNs;
    private boolean stopped;
    private String stopReason;

    private int format;
    private boolean bigEndian;
    private long pcapFractionToNanos;
    private int pcapLinkType;
    private long pcapSnaplen;

    private boolean sectionOpen;
    private int interfaceCount;
    private final int[] ifLinkType = new int[MAX_INTERFACES];
    private final long[] ifSnaplen = new long[MAX_INTERFACES];
    private final long[] ifUnitsPerSecond = new long[MAX_INTERFACES];
    private final long[] ifOffsetSeconds = new long[MAX_INTERFACES];

    private final AtomicCounter packets;
    private final AtomicCounter bytes;
    private final AtomicCounter skippedBlocks;
    private final AtomicCounter skippedRecords;
    private final AtomicCounter errBadMagic;
    private final AtomicCounter errTruncatedFileHeader;
    private final AtomicCounter errUnsupportedVersion;
    private final AtomicCounter errTruncatedRecord;
    private final AtomicCounter errOversizedRecord;
    private final AtomicCounter errBadBlockLength;
    private final AtomicCounter errBlockLengthMismatch;
    private final AtomicCounter errBadBlock;
    private final AtomicCounter errUnknownInterface;
    private final AtomicCounter errTooManyInterfaces;
    private final AtomicCounter errBadTsresol;
    private final AtomicCounter errIo;
    private final AtomicCounter errInternal;

    /**
     * Opens a capture file. Only a file that cannot be opened throws; a file whose content is bad
     * yields a reader that delivers nothing, with {@link #stopReason()} set and the reason counted.
     */
    public static CaptureFileReader open(final Path file, final Counters counters) throws IOException {
        return open(file, counters, DEFAULT_BUFFER_BYTES);
    }

    public static CaptureFileReader open(final Path file, final Counters counters, final int bufferBytes)
        throws IOException {
        if (bufferBytes < MAX_BUFFERED_BLOCK_BYTES) {
            throw new IllegalArgumentException("bufferBytes " + bufferBytes + " < " + MAX_BUFFERED_BLOCK_BYTES);
        }
        final FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new CaptureFileReader(channel, counters, bufferBytes);
        } catch (final RuntimeException | Error e) {
            channel.close();
            throw e;
        }
    }

    private CaptureFileReader(final FileChannel channel, final Counters counters, final int bufferBytes) {
        this.channel = channel;
        this.capacity = bufferBytes;
        // One direct block, seen two ways: as a ByteBuf for the frames and as a ByteBuffer view of the
        // same memory for FileChannel reads and compaction. Released (freed at once) by close().
        this.buffer = Unpooled.directBuffer(bufferBytes, bufferBytes).writerIndex(bufferBytes);
        this.window = buffer.nioBuffer(0, bufferBytes);
        packets = counters.counter("capture.packets");
        bytes = counters.counter("capture.bytes");
        skippedBlocks = counters.counter("capture.skipped_blocks");
        skippedRecords = counters.counter("capture.skipped_records");
        errBadMagic = error(counters, BAD_MAGIC);
        errTruncatedFileHeader = error(counters, TRUNCATED_FILE_HEADER);
        errUnsupportedVersion = error(counters, UNSUPPORTED_VERSION);
        errTruncatedRecord = error(counters, TRUNCATED_RECORD);
        errOversizedRecord = error(counters, OVERSIZED_RECORD);
        errBadBlockLength = error(counters, BAD_BLOCK_LENGTH);
        errBlockLengthMismatch = error(counters, BLOCK_LENGTH_MISMATCH);
        errBadBlock = error(counters, BAD_BLOCK);
        errUnknownInterface = error(counters, UNKNOWN_INTERFACE);
        errTooManyInterfaces = error(counters, TOO_MANY_INTERFACES);
        errBadTsresol = error(counters, BAD_TSRESOL);
        errIo = error(counters, IO);
        errInternal = error(counters, INTERNAL);
        frame.buffer = buffer;
        try {
            readFileHeader();
        } catch (final IOException e) {
            stop(IO);
        }
    }

    private static AtomicCounter error(final Counters counters, final String reason) {
        return counters.counter("capture.error." + reason);
    }

    /** Streams every remaining frame to the sink; returns how many were delivered by this call. */
    public long readAll(final FrameSink sink) {
        long delivered = 0;
        while (readNext(sink)) {
            delivered++;
        }
        return delivered;
    }

    /** Delivers the next frame; false at the end of the file or after an error that stops reading. */
    public boolean readNext(final FrameSink sink) {
        if (stopped) {
            return false;
        }
        boolean ready;
        try {
            ready = format == FORMAT_PCAPNG ? nextPcapngPacket() : nextPcapPacket();
        } catch (final IOException e) {
            ready = stop(IO);
        } catch (final RuntimeException e) {
            // A parsing bug must not take the process down with it: counted, and this file ends here.
            ready = stop(INTERNAL);
        }
        if (!ready) {
            return false;
        }
        frame.number = ++frameNumber;
        lastTimeNs = frame.timeNs;
        packets.increment();
        bytes.getAndAdd(frame.capturedLength);
        sink.onFrame(frame);
        return true;
    }

    /** Null when reading ended at a clean end of file (or has not ended yet), else the counted reason. */
    public String stopReason() {
        return stopReason;
    }

    /** True once no further frame will come. */
    public boolean finished() {
        return stopped;
    }

    /** Number of the last frame delivered or numbered (see {@link #numberedRecord}). */
    public long framesRead() {
        return frameNumber;
    }

    public boolean isPcapng() {
        return format == FORMAT_PCAPNG;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        stopped = true;
        try {
            channel.close();
        } finally {
            // Frames point into this memory: nobody may hold one after close, so free it now rather
            // than waiting for a GC to notice the buffer (a replay opens many files).
            buffer.release();
        }
    }

    // ---- file header -----------------------------------------------------------------------------

    private void readFileHeader() throws IOException {
        if (!ensure(4)) {
            stop(TRUNCATED_FILE_HEADER);
            return;
        }
        final int magic = buffer.getInt(start);
        switch (magic) {
            case PcapLayout.MAGIC_MICROS -> pcapHeader(true, 1_000L);
            case PcapLayout.MAGIC_MICROS_SWAPPED -> pcapHeader(false, 1_000L);
            case PcapLayout.MAGIC_NANOS -> pcapHeader(true, 1L);
            case PcapLayout.MAGIC_NANOS_SWAPPED -> pcapHeader(false, 1L);
            case PCAPNG_MAGIC -> format = FORMAT_PCAPNG;
            default -> stop(BAD_MAGIC);
        }
    }

    private void pcapHeader(final boolean bigEndian, final long fractionToNanos) throws IOException {
        format = FORMAT_PCAP;
        this.bigEndian = bigEndian;
        pcapFractionToNanos = fractionToNanos;
        if (!ensure(PcapLayout.FILE_HEADER_LENGTH)) {
            stop(TRUNCATED_FILE_HEADER);
            return;
        }
        if (u16(start + PcapLayout.VERSION_MAJOR_OFFSET) != PcapLayout.VERSION_MAJOR) {
            stop(UNSUPPORTED_VERSION);
            return;
        }
        pcapSnaplen = u32(start + PcapLayout.SNAPLEN_OFFSET);
        pcapLinkType = (int) (u32(start + PcapLayout.LINKTYPE_OFFSET) & PcapLayout.LINKTYPE_MASK);
        consume(PcapLayout.FILE_HEADER_LENGTH);
    }

    // ---- pcap records ----------------------------------------------------------------------------

    private boolean nextPcapPacket() throws IOException {
        if (!ensure(PcapLayout.RECORD_HEADER_LENGTH)) {
            return stop(start == end ? null : TRUNCATED_RECORD);
        }
        final long captured = u32(start + PcapLayout.CAPTURED_LENGTH_OFFSET);
        if (captured > MAX_RECORD_BYTES) {
            return stop(OVERSIZED_RECORD);
        }
        if (pcapSnaplen != 0 && captured > pcapSnaplen) {
            errOversizedRecord.increment();
        }
        final int recordLength = PcapLayout.RECORD_HEADER_LENGTH + (int) captured;
        if (!ensure(recordLength)) {
            return stop(TRUNCATED_RECORD);
        }
        final int h = start;
        final long seconds = u32(h + PcapLayout.TS_SECONDS_OFFSET);
        final long fraction = u32(h + PcapLayout.TS_FRACTION_OFFSET);
        frame.timeNs = seconds * NANOS_PER_SECOND + fraction * pcapFractionToNanos;
        frame.interfaceId = 0;
        frame.linkType = pcapLinkType;
        frame.offset = h + PcapLayout.RECORD_HEADER_LENGTH;
        frame.capturedLength = (int) captured;
        frame.originalLength = clampLength(u32(h + PcapLayout.ORIGINAL_LENGTH_OFFSET));
        consume(recordLength);
        return true;
    }

    // ---- pcapng blocks ---------------------------------------------------------------------------

    private boolean nextPcapngPacket() throws IOException {
        // Each pass consumes at least one whole block (>= 12 bytes) or stops, so this ends at EOF.
        while (true) {
            if (!ensure(BLOCK_OVERHEAD)) {
                return stop(start == end ? null : TRUNCATED_RECORD);
            }
            final int type = buffer.getInt(start + BLOCK_TYPE_OFFSET);
            if (type == BLOCK_SECTION_HEADER) {
                if (!sectionHeader()) {
                    return false;
                }
                continue;
            }
            if (!sectionOpen) {
                return stop(BAD_MAGIC);
            }
            final int blockType = (int) u32(start + BLOCK_TYPE_OFFSET);
            final long total = u32(start + BLOCK_LENGTH_OFFSET);
            if (total < BLOCK_OVERHEAD || (total & 3) != 0) {
                return stop(BAD_BLOCK_LENGTH);
            }
            final boolean packetBlock = blockType == BLOCK_ENHANCED_PACKET || blockType == BLOCK_SIMPLE_PACKET
                || blockType == BLOCK_PACKET_OBSOLETE;
            if (total > MAX_BUFFERED_BLOCK_BYTES) {
                if (packetBlock) {
                    errOversizedRecord.increment();
                } else if (blockType == BLOCK_INTERFACE_DESCRIPTION) {
                    addUnusableInterface();
                } else if (isNumberedRecord(blockType)) {
                    numberedRecord();
                } else {
                    skippedBlocks.increment();
                }
                if (!skipLargeBlock(total)) {
                    return false;
                }
                continue;
            }
            final int length = (int) total;
            if (!ensure(length)) {
                return stop(TRUNCATED_RECORD);
            }
            final int b = start;
            if (u32(b + length - 4) != total) {
                return stop(BLOCK_LENGTH_MISMATCH);
            }
            boolean ready = false;
            switch (blockType) {
                case BLOCK_INTERFACE_DESCRIPTION -> interfaceDescription(b, length);
                case BLOCK_ENHANCED_PACKET -> ready = enhancedPacket(b, length, false);
                case BLOCK_PACKET_OBSOLETE -> ready = enhancedPacket(b, length, true);
                case BLOCK_SIMPLE_PACKET -> ready = simplePacket(b, length);
                case BLOCK_CUSTOM, BLOCK_CUSTOM_NO_COPY, BLOCK_SYSTEMD_JOURNAL, BLOCK_SYSDIG_EVENT,
                    BLOCK_SYSDIG_EVENT_V2, BLOCK_SYSDIG_EVENT_V2_LARGE -> numberedRecord();
                default -> skippedBlocks.increment(); // NRB, ISB, DSB, unknown
            }
            consume(length);
            if (ready) {
                return true;
            }
        }
    }

    private static boolean isNumberedRecord(final int blockType) {
        return blockType == BLOCK_CUSTOM || blockType == BLOCK_CUSTOM_NO_COPY || blockType == BLOCK_SYSTEMD_JOURNAL
            || blockType == BLOCK_SYSDIG_EVENT || blockType == BLOCK_SYSDIG_EVENT_V2
            || blockType == BLOCK_SYSDIG_EVENT_V2_LARGE;
    }

    /**
     * Wireshark (4.0) lists custom, journal and sysdig blocks as frames of their own. They carry
     * no packet, so nothing is delivered, but they take a frame number: every later frame keeps
     * the number Wireshark shows for it, which is what `sigmatch decode` prints and operators
     * look up.
     */
    private void numberedRecord() {
        frameNumber++;
        skippedRecords.increment();
    }

    /** Opens a new section: its byte order, its own (empty) interface list. */
    private boolean sectionHeader() throws IOException {
        if (!ensure(SHB_MIN_LENGTH)) {
            return stop(TRUNCATED_RECORD);
        }
        final int magic = buffer.getInt(start + SHB_MAGIC_OFFSET);
        if (magic == BYTE_ORDER_MAGIC) {
            bigEndian = true;
        } else if (magic == BYTE_ORDER_MAGIC_SWAPPED) {
            bigEndian = false;
        } else {
            return stop(BAD_MAGIC);
        }
        final long total = u32(start + BLOCK_LENGTH_OFFSET);
        if (total < SHB_MIN_LENGTH || (total & 3) != 0) {
            return stop(BAD_BLOCK_LENGTH);
        }
        if (u16(start + SHB_MAJOR_OFFSET) != VERSION_MAJOR) {
            return stop(UNSUPPORTED_VERSION);
        }
        sectionOpen = true;
        interfaceCount = 0;
        if (total > MAX_BUFFERED_BLOCK_BYTES) {
            return skipLargeBlock(total);
        }
        final int length = (int) total;
        if (!ensure(length)) {
            return stop(TRUNCATED_RECORD);
        }
        if (u32(start + length - 4) != total) {
            return stop(BLOCK_LENGTH_MISMATCH);
        }
        consume(length);
        return true;
    }

    private void interfaceDescription(final int b, final int length) {
        if (length < IDB_MIN_LENGTH) {
            errBadBlock.increment();
            addUnusableInterface();
            return;
        }
        if (interfaceCount >= MAX_INTERFACES) {
            errTooManyInterfaces.increment();
            interfaceCount = MAX_INTERFACES + 1; // later packets on it are counted as unknown_interface
            return;
        }
        final int i = interfaceCount++;
        ifLinkType[i] = u16(b + IDB_LINKTYPE_OFFSET);
        ifSnaplen[i] = u32(b + IDB_SNAPLEN_OFFSET);
        ifUnitsPerSecond[i] = DEFAULT_UNITS_PER_SECOND;
        ifOffsetSeconds[i] = 0;
        final int limit = b + length - 4;
        int p = b + IDB_OPTIONS_OFFSET;
        while (p + 4 <= limit) {
            final int code = u16(p);
            final int optionLength = u16(p + 2);
            if (code == OPT_END_OF_OPTIONS) {
                break;
            }
            final int padded = (optionLength + 3) & ~3;
            if (padded > limit - p - 4) {
                errBadBlock.increment();
                break;
            }
            if (code == OPT_IF_TSRESOL && optionLength >= 1) {
                ifUnitsPerSecond[i] = unitsPerSecond(buffer.getUnsignedByte(p + 4));
            } else if (code == OPT_IF_TSOFFSET && optionLength >= 8) {
                ifOffsetSeconds[i] = bigEndian ? buffer.getLong(p + 4) : buffer.getLongLE(p + 4);
            }
            p += 4 + padded;
        }
    }

    /** Keeps interface numbering aligned when an IDB cannot be used: its packets count as unknown. */
    private void addUnusableInterface() {
        if (interfaceCount < MAX_INTERFACES) {
            final int i = interfaceCount++;
            ifLinkType[i] = -1;
            ifSnaplen[i] = 0;
            ifUnitsPerSecond[i] = DEFAULT_UNITS_PER_SECOND;
            ifOffsetSeconds[i] = 0;
        } else {
            errTooManyInterfaces.increment();
        }
    }

    /**
     * if_tsresol: most significant bit clear = 10^-n seconds, set = 2^-n seconds. The unit count is
     * kept as an unsigned 64-bit value (10^19 and 2^63 do not fit a signed long).
     */
    private long unitsPerSecond(final int tsresol) {
        final int exponent = tsresol & 0x7F;
        if ((tsresol & 0x80) != 0) {
            if (exponent > 63) {
                errBadTsresol.increment();
                return DEFAULT_UNITS_PER_SECOND;
            }
            return 1L << exponent;
        }
        if (exponent > 19) {
            errBadTsresol.increment();
            return DEFAULT_UNITS_PER_SECOND;
        }
        long units = 1;
        for (int k = 0; k < exponent; k++) {
            units *= 10; // 10^19 wraps to the right unsigned value
        }
        return units;
    }

    private boolean enhancedPacket(final int b, final int length, final boolean obsolete) {
        if (length < EPB_MIN_LENGTH) {
            errBadBlock.increment();
            return false;
        }
        final long ifId = obsolete ? u16(b + OPB_INTERFACE_OFFSET) : u32(b + EPB_INTERFACE_OFFSET);
        final long captured = u32(b + EPB_CAPTURED_LENGTH_OFFSET);
        if (((captured + 3) & ~3L) > length - EPB_MIN_LENGTH) {
            errBadBlock.increment();
            return false;
        }
        if (captured > MAX_RECORD_BYTES) {
            errOversizedRecord.increment();
            return false;
        }
        if (ifId >= interfaceCount || ifId >= MAX_INTERFACES || ifLinkType[(int) ifId] < 0) {
            errUnknownInterface.increment();
            return false;
        }
        final int i = (int) ifId;
        if (ifSnaplen[i] != 0 && captured > ifSnaplen[i]) {
            errOversizedRecord.increment();
        }
        final long ts = (u32(b + EPB_TS_HIGH_OFFSET) << 32) | u32(b + EPB_TS_LOW_OFFSET);
        frame.timeNs = toNanos(ts, ifUnitsPerSecond[i], ifOffsetSeconds[i]);
        frame.interfaceId = i;
        frame.linkType = ifLinkType[i];
        frame.offset = b + EPB_DATA_OFFSET;
        frame.capturedLength = (int) captured;
        frame.originalLength = clampLength(u32(b + EPB_ORIGINAL_LENGTH_OFFSET));
        return true;
    }

    private boolean simplePacket(final int b, final int length) {
        if (length < SPB_MIN_LENGTH) {
            errBadBlock.increment();
            return false;
        }
        if (interfaceCount == 0 || ifLinkType[0] < 0) {
            errUnknownInterface.increment();
            return false;
        }
        final long original = u32(b + SPB_ORIGINAL_LENGTH_OFFSET);
        // pcapng 4.4: the captured length is the original length cut to interface 0's snap length.
        long captured = original;
        if (ifSnaplen[0] != 0 && captured > ifSnaplen[0]) {
            captured = ifSnaplen[0];
        }
        if (((captured + 3) & ~3L) > length - SPB_MIN_LENGTH) {
            errBadBlock.increment();
            return false;
        }
        if (captured > MAX_RECORD_BYTES) {
            errOversizedRecord.increment();
            return false;
        }
        // An SPB carries no timestamp. Wireshark shows such a packet without one; sigmatch gives it
        // the previous frame's time so that capture time, which drives every expiry downstream,
        // never jumps back to 1970 (0 before the first timed frame).
        frame.timeNs = lastTimeNs;
        frame.interfaceId = 0;
        frame.linkType = ifLinkType[0];
        frame.offset = b + SPB_DATA_OFFSET;
        frame.capturedLength = (int) captured;
        frame.originalLength = clampLength(original);
        return true;
    }

    /**
     * Timestamp units to epoch nanoseconds: seconds = ts / units, nanoseconds = floor((ts % units)
     * * 10^9 / units), then if_tsoffset seconds added; ts and units are unsigned 64-bit.
     *
     * <p>This equals Wireshark's pcapng reader for every resolution up to about 1.8 * 10^10 units per
     * second (all real clocks: µs, ns, 2^-32). Beyond that Wireshark 4.0 computes the product in 64
     * bits and it wraps (a 10^-12 timestamp of 1.25 s shows as 1.010192327); here it is exact,
     * because capture time drives every expiry downstream and must not jump about within a second.
     */
    static long toNanos(final long ts, final long unitsPerSecond, final long offsetSeconds) {
        final long seconds = Long.divideUnsigned(ts, unitsPerSecond);
        final long remainder = Long.remainderUnsigned(ts, unitsPerSecond);
        return (seconds + offsetSeconds) * NANOS_PER_SECOND + fractionNanos(remainder, unitsPerSecond);
    }

    /** floor(remainder * 10^9 / units) for unsigned remainder &lt; units, without allocating. */
    static long fractionNanos(final long remainder, final long units) {
        if (Long.compareUnsigned(remainder, MAX_EXACT_REMAINDER) <= 0) {
            return Long.divideUnsigned(remainder * NANOS_PER_SECOND, units);
        }
        // The product needs 128 bits: estimate in floating point, then correct the estimate with
        // exact 128-bit comparisons of q * units against remainder * 10^9.
        long q = (long) (unsignedToDouble(remainder) / unsignedToDouble(units) * NANOS_PER_SECOND);
        q = Math.max(0, Math.min(NANOS_PER_SECOND - 1, q));
        while (q > 0 && compareProducts(q, units, remainder, NANOS_PER_SECOND) > 0) {
            q--;
        }
        while (q < NANOS_PER_SECOND - 1 && compareProducts(q + 1, units, remainder, NANOS_PER_SECOND) <= 0) {
            q++;
        }
        return q;
    }

    private static final long MAX_EXACT_REMAINDER = Long.divideUnsigned(-1L, NANOS_PER_SECOND);

    private static double unsignedToDouble(final long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0;
    }

    /** Compares the unsigned 128-bit products a * b and c * d. */
    private static int compareProducts(final long a, final long b, final long c, final long d) {
        final int high = Long.compareUnsigned(unsignedMultiplyHigh(a, b), unsignedMultiplyHigh(c, d));
        return high != 0 ? high : Long.compareUnsigned(a * b, c * d);
    }

    private static long unsignedMultiplyHigh(final long a, final long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /** Skips a block too large to hold, then checks its trailing length. */
    private boolean skipLargeBlock(final long total) throws IOException {
        long toSkip = total - 4;
        final int buffered = end - start;
        if (toSkip <= buffered) {
            consume((int) toSkip);
        } else {
            toSkip -= buffered;
            start = end = 0;
            final long target = channel.position() + toSkip;
            if (target > channel.size()) {
                return stop(TRUNCATED_RECORD);
            }
            channel.position(target);
        }
        if (!ensure(4)) {
            return stop(TRUNCATED_RECORD);
        }
        if (u32(start) != total) {
            return stop(BLOCK_LENGTH_MISMATCH);
        }
        consume(4);
        return true;
    }

    // ---- buffer ----------------------------------------------------------------------------------

    /** Makes at least n unread bytes available from {@code start}; false if the file ends first. */
    private boolean ensure(final int n) throws IOException {
        while (end - start < n) {
            if (endOfFile) {
                return false;
            }
            if (start + n > capacity) {
                window.limit(end).position(start);
                window.compact();
                end -= start;
                start = 0;
            }
            window.limit(capacity).position(end);
            final int read = channel.read(window);
            if (read < 0) {
                endOfFile = true;
            } else {
                end += read;
            }
        }
        return true;
    }

    private void consume(final int n) {
        start += n;
    }

    private long u32(final int index) {
        return bigEndian ? buffer.getUnsignedInt(index) : buffer.getUnsignedIntLE(index);
    }

    private int u16(final int index) {
        return bigEndian ? buffer.getUnsignedShort(index) : buffer.getUnsignedShortLE(index);
    }

    private static int clampLength(final long length) {
        return length > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) length;
    }

    private boolean stop(final String reason) {
        stopped = true;
        if (reason != null && stopReason == null) {
            stopReason = reason;
            errorCounter(reason).increment();
        }
        return false;
    }

    private AtomicCounter errorCounter(final String reason) {
        return switch (reason) {
            case BAD_MAGIC -> errBadMagic;
            case TRUNCATED_FILE_HEADER -> errTruncatedFileHeader;
            case UNSUPPORTED_VERSION -> errUnsupportedVersion;
            case TRUNCATED_RECORD -> errTruncatedRecord;
            case OVERSIZED_RECORD -> errOversizedRecord;
            case BAD_BLOCK_LENGTH -> errBadBlockLength;
            case BLOCK_LENGTH_MISMATCH -> errBlockLengthMismatch;
            case IO -> errIo;
            default -> errInternal;
        };
    }
}
