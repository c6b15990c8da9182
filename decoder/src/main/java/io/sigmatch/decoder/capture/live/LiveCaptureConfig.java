package io.sigmatch.decoder.capture.live;

/**
 * Settings of a {@link LiveCapture}, with safe defaults; {@link #conclude()} checks them before any
 * socket is opened.
 *
 * <p>Ring sizing (per capture thread; TPACKET_V3 hands whole blocks to user space): the ring is
 * {@code blockSizeBytes * blockCount} bytes of locked-in kernel memory mapped into the process. A
 * block is returned to user space when full or after {@code blockTimeoutMs}; the ring must absorb
 * the longest stall of the decoding thread at line rate, e.g. 64 MiB holds about 0.5 s of a 1 Gbit/s
 * mirror. A packet larger than a block cannot be captured, so blocks are at least 256 KiB (a 64 KiB
 * GSO packet plus headers fits several times).
 */
public final class LiveCaptureConfig {
    public static final int DEFAULT_BLOCK_SIZE_BYTES = 1 << 20;
    public static final int DEFAULT_BLOCK_COUNT = 64;
    /** TPACKET_V3 frames are variable; frame size only sets tp_frame_nr for the kernel's check. */
    public static final int DEFAULT_FRAME_SIZE_BYTES = 2048;
    /** A partly filled block is handed over after this long, so a quiet link is still seen promptly. */
    public static final int DEFAULT_BLOCK_TIMEOUT_MS = 10;
    /** How long a capture thread waits in poll() before looking at its stop flag. */
    public static final int DEFAULT_POLL_TIMEOUT_MS = 100;
    public static final int MAX_THREADS = 64;

    private String interfaceName;
    private int threads = 1;
    private int blockSizeBytes = DEFAULT_BLOCK_SIZE_BYTES;
    private int blockCount = DEFAULT_BLOCK_COUNT;
    private int frameSizeBytes = DEFAULT_FRAME_SIZE_BYTES;
    private int blockTimeoutMs = DEFAULT_BLOCK_TIMEOUT_MS;
    private int pollTimeoutMs = DEFAULT_POLL_TIMEOUT_MS;
    private boolean promiscuous = true;
    private BpfProgram filter;
    private int fanoutGroup = (int) (ProcessHandle.current().pid() & 0xFFFF);
    private long maxPackets;
    private long durationNs;

    public LiveCaptureConfig conclude() {
        require(interfaceName != null && !interfaceName.isEmpty() && interfaceName.length() < 16,
            "interface name must be 1..15 characters (IFNAMSIZ): " + interfaceName);
        require(threads >= 1 && threads <= MAX_THREADS, "threads must be 1.." + MAX_THREADS + ": " + threads);
        require(Integer.bitCount(blockSizeBytes) == 1 && blockSizeBytes >= 256 << 10 && blockSizeBytes <= 1 << 30,
            "blockSizeBytes must be a power of two, 256 KiB..1 GiB: " + blockSizeBytes);
        require(blockCount >= 2 && (long) blockCount * blockSizeBytes <= 1L << 30,
            "blockCount must be at least 2, ring at most 1 GiB per thread: " + blockCount);
        require(frameSizeBytes >= 128 && frameSizeBytes % 16 == 0 && blockSizeBytes % frameSizeBytes == 0,
            "frameSizeBytes must be >= 128, a multiple of 16 and divide the block size: " + frameSizeBytes);
        require(blockTimeoutMs >= 1 && blockTimeoutMs <= 10_000, "blockTimeoutMs must be 1..10000: " + blockTimeoutMs);
        require(pollTimeoutMs >= 1 && pollTimeoutMs <= 10_000, "pollTimeoutMs must be 1..10000: " + pollTimeoutMs);
        require(fanoutGroup >= 0 && fanoutGroup <= 0xFFFF, "fanoutGroup must be 0..65535: " + fanoutGroup);
        require(maxPackets >= 0, "maxPackets must not be negative: " + maxPackets);
        require(durationNs >= 0, "durationNs must not be negative: " + durationNs);
        return this;
    }

    private static void require(final boolean ok, final String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public String interfaceName() {
        return interfaceName;
    }

    public LiveCaptureConfig interfaceName(final String name) {
        interfaceName = name;
        return this;
    }

    public int threads() {
        return threads;
    }

    /** Capture threads; more than one joins them in a PACKET_FANOUT group hashed by flow. */
    public LiveCaptureConfig threads(final int n) {
        threads = n;
        return this;
    }

    public int blockSizeBytes() {
        return blockSizeBytes;
    }

    public LiveCaptureConfig blockSizeBytes(final int bytes) {
        blockSizeBytes = bytes;
        return this;
    }

    public int blockCount() {
        return blockCount;
    }

    public LiveCaptureConfig blockCount(final int n) {
        blockCount = n;
        return this;
    }

    public int frameSizeBytes() {
        return frameSizeBytes;
    }

    public LiveCaptureConfig frameSizeBytes(final int bytes) {
        frameSizeBytes = bytes;
        return this;
    }

    public int blockTimeoutMs() {
        return blockTimeoutMs;
    }

    public LiveCaptureConfig blockTimeoutMs(final int ms) {
        blockTimeoutMs = ms;
        return this;
    }

    public int pollTimeoutMs() {
        return pollTimeoutMs;
    }

    public LiveCaptureConfig pollTimeoutMs(final int ms) {
        pollTimeoutMs = ms;
        return this;
    }

    public boolean promiscuous() {
        return promiscuous;
    }

    /** PACKET_ADD_MEMBERSHIP PACKET_MR_PROMISC: a mirror port's frames are addressed to others. */
    public LiveCaptureConfig promiscuous(final boolean on) {
        promiscuous = on;
        return this;
    }

    public BpfProgram filter() {
        return filter;
    }

    public LiveCaptureConfig filter(final BpfProgram program) {
        filter = program;
        return this;
    }

    public int fanoutGroup() {
        return fanoutGroup;
    }

    /** PACKET_FANOUT group id (default: the process id); two captures on one host need different ids. */
    public LiveCaptureConfig fanoutGroup(final int id) {
        fanoutGroup = id;
        return this;
    }

    public long maxPackets() {
        return maxPackets;
    }

    /** Stop after this many packets over all threads; 0 = no limit. */
    public LiveCaptureConfig maxPackets(final long n) {
        maxPackets = n;
        return this;
    }

    public long durationNs() {
        return durationNs;
    }

    /** Stop after this much wall time; 0 = until {@link LiveCapture#stop()}. */
    public LiveCaptureConfig durationNs(final long ns) {
        durationNs = ns;
        return this;
    }
}
