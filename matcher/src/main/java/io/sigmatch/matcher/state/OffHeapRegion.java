package io.sigmatch.matcher.state;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.BufferUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Fixed-size records off-heap: a header page and records split over segments of at most
 * {@link #SEGMENT_BYTES_MAX} bytes (a {@link ByteBuffer} holds at most 2 GiB; a 100 M-subscriber table
 * needs tens). Backed by a memory-mapped file when given one — then the page cache holds every write
 * the moment it is made, so a kill -9 loses nothing the process wrote (a machine crash may lose what
 * the kernel had not written back) — or by direct memory.
 */
final class OffHeapRegion implements AutoCloseable {
    static final int HEADER_BYTES = 4096;
    static final long SEGMENT_BYTES_MAX = 1L << 30;

    private final int recordBytes;
    private final long records;
    private final int segmentShift;
    private final long segmentMask;
    private final UnsafeBuffer header;
    private final UnsafeBuffer[] segments;
    private final ByteBuffer[] memory;
    private final boolean mapped;
    private final boolean existed;
    private boolean closed;

    private OffHeapRegion(final int recordBytes, final long records, final Path file) throws IOException {
        this.recordBytes = recordBytes;
        this.records = records;
        long perSegment = Long.highestOneBit(Math.max(1, SEGMENT_BYTES_MAX / recordBytes));
        perSegment = Math.min(perSegment, records);
        this.segmentShift = Long.numberOfTrailingZeros(perSegment);
        this.segmentMask = perSegment - 1;
        final int count = (int) ((records + perSegment - 1) / perSegment);
        segments = new UnsafeBuffer[count];
        memory = new ByteBuffer[count + 1];
        mapped = file != null;
        if (file == null) {
            existed = false;
            memory[0] = ByteBuffer.allocateDirect(HEADER_BYTES);
            for (int i = 0; i < count; i++) {
                memory[i + 1] = ByteBuffer.allocateDirect((int) (perSegment * recordBytes));
            }
        } else {
            existed = Files.exists(file) && Files.size(file) > 0;
            final long length = HEADER_BYTES + records * recordBytes;
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"); FileChannel ch = raf.getChannel()) {
                if (raf.length() < length) {
                    raf.setLength(length); // sparse: pages cost memory once touched
                }
                memory[0] = ch.map(FileChannel.MapMode.READ_WRITE, 0, HEADER_BYTES);
                for (int i = 0; i < count; i++) {
                    memory[i + 1] = ch.map(FileChannel.MapMode.READ_WRITE, HEADER_BYTES + i * perSegment * recordBytes,
                        perSegment * recordBytes);
                }
            }
        }
        header = new UnsafeBuffer(memory[0]);
        for (int i = 0; i < count; i++) {
            segments[i] = new UnsafeBuffer(memory[i + 1]);
        }
    }

    /** records of recordBytes each, in direct memory (file null) or mapped from file (created when absent). */
    static OffHeapRegion open(final int recordBytes, final long records, final Path file) throws IOException {
        if (records < 1 || Long.bitCount(records) != 1) {
            throw new IllegalArgumentException("records must be a power of two: " + records);
        }
        return new OffHeapRegion(recordBytes, records, file);
    }

    /** True when the backing file held data before this open (a restart). */
    boolean existed() {
        return existed;
    }

    boolean mapped() {
        return mapped;
    }

    long records() {
        return records;
    }

    UnsafeBuffer header() {
        return header;
    }

    /** The segment holding record r; {@link #offset} is where in it. */
    UnsafeBuffer segment(final long r) {
        return segments[(int) (r >>> segmentShift)];
    }

    int offset(final long r) {
        return (int) ((r & segmentMask) * recordBytes);
    }

    /** Off-heap bytes reserved (a mapped file's untouched pages cost nothing until used). */
    long bytes() {
        return HEADER_BYTES + records * recordBytes;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (final ByteBuffer b : memory) {
            if (b == null) {
                continue;
            }
            if (mapped) {
                IoUtil.unmap((MappedByteBuffer) b);
            } else {
                BufferUtil.free(b);
            }
        }
    }
}
