package io.sigmatch.decoder.capture.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.capture.FrameSink;
import io.sigmatch.decoder.capture.LinkType;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Live capture from one Linux interface: {@link LiveCaptureConfig#threads()} AF_PACKET sockets,
 * each with its own TPACKET_V3 ring ({@link PacketRing}) and its own thread, joined in one
 * PACKET_FANOUT_HASH group (with the defrag flag, so all fragments of a datagram, and both
 * directions of a flow, reach the same thread). Each thread makes its own {@link Worker} (a
 * Dissector and decoders: nothing is shared between threads but {@link Counters}).
 *
 * <p>{@link #open} does every privileged and fallible step before any thread starts, so "no
 * permission" or "no such interface" is one {@link LiveCaptureException} with one clear line.
 *
 * <p>Counters: {@code capture.live.packets}, {@code .bytes}, {@code .blocks}, {@code .polls},
 * {@code .kernel.packets}, {@code .kernel.drops} (tp_drops: the ring was full),
 * {@code .kernel.freeze_queue} (tp_freeze_q_cnt), {@code .ring_full_blocks} (blocks flagged
 * TP_STATUS_LOSING), {@code .vlan_tag_restored}, {@code .error.bad_block}; also
 * {@code capture.packets}/{@code capture.bytes} as a file read counts them.
 */
public final class LiveCapture implements AutoCloseable {
    /** What one capture thread does with its frames; created on that thread, finished on it. */
    public interface Worker extends FrameSink {
        /** A ring block was delivered, or poll() waited without one: the moment to flush buffered output. */
        default void endOfBatch() {
        }

        /** The capture ended: flush decoders and output. */
        default void finish() {
        }
    }

    private final LiveCaptureConfig config;
    private final List<PacketRing> rings;
    private final int linkType;
    private final AtomicCounter threadErrors;
    private volatile boolean running = true;
    private final List<Thread> threads = new ArrayList<>();

    private LiveCapture(final LiveCaptureConfig config, final List<PacketRing> rings, final int linkType,
        final Counters counters) {
        this.config = config;
        this.rings = rings;
        this.linkType = linkType;
        this.threadErrors = counters.counter("capture.live.error.worker");
    }

    /** Opens and sets up every socket and ring; throws with one line saying what to fix. */
    public static LiveCapture open(final LiveCaptureConfig config, final Counters counters) throws LiveCaptureException {
        config.conclude();
        if (!LinuxNative.AVAILABLE) {
            throw new LiveCaptureException("live capture needs Linux (AF_PACKET) and JNA; this is "
                + System.getProperty("os.name"));
        }
        final String name = config.interfaceName();
        final int ifIndex = LinuxNative.if_nametoindex(name);
        if (ifIndex == 0) {
            throw new LiveCaptureException("no such interface: " + name);
        }
        final int arphrd = arphrd(name);
        final int linkType = linkType(name, arphrd);
        // libpcap's rule: on loopback every packet is seen leaving and arriving; keep one copy.
        final boolean skipOutgoing = arphrd == ARPHRD_LOOPBACK;
        final List<PacketRing> rings = new ArrayList<>();
        try {
            for (int i = 0; i < config.threads(); i++) {
                rings.add(PacketRing.open(config, ifIndex, linkType, skipOutgoing, config.threads() > 1, counters));
            }
        } catch (final LiveCaptureException | RuntimeException e) {
            rings.forEach(PacketRing::close);
            throw e;
        }
        return new LiveCapture(config, rings, linkType, counters);
    }

    /**
     * ARPHRD type (/sys/class/net/IF/type) to the link type of the frames the socket gives:
     * Ethernet and loopback have an Ethernet header, tun-like devices (ARPHRD_NONE) raw IP.
     */
    private static final int ARPHRD_ETHER = 1;
    private static final int ARPHRD_LOOPBACK = 772;

    private static int arphrd(final String name) {
        try {
            return Integer.parseInt(Files.readString(Path.of("/sys/class/net", name, "type")).trim());
        } catch (final IOException | NumberFormatException e) {
            return ARPHRD_ETHER;
        }
    }

    private static int linkType(final String name, final int arphrd) throws LiveCaptureException {
        return switch (arphrd) {
            case 1, 772 -> LinkType.ETHERNET; // ARPHRD_ETHER, ARPHRD_LOOPBACK
            case 65534 -> LinkType.RAW; // ARPHRD_NONE (tun, wireguard)
            default -> throw new LiveCaptureException("interface " + name + " has link type ARPHRD " + arphrd
                + "; live capture reads Ethernet, loopback and raw-IP interfaces");
        };
    }

    /** LINKTYPE_* of the frames this capture delivers. */
    public int linkType() {
        return linkType;
    }

    /**
     * Runs the capture threads until {@link #stop()}, the packet count or the duration is reached;
     * blocks until every thread has finished its worker. Returns the packets delivered.
     */
    public long run(final IntFunction<Worker> workers) throws InterruptedException {
        final AtomicLong delivered = new AtomicLong();
        final long limit = config.maxPackets();
        final AtomicLong remaining = new AtomicLong(limit);
        final long deadline = config.durationNs() > 0 ? System.nanoTime() + config.durationNs() : Long.MAX_VALUE;
        for (int i = 0; i < rings.size(); i++) {
            final int index = i;
            final PacketRing ring = rings.get(i);
            final Thread t = new Thread(() -> captureLoop(index, ring, workers, limit, remaining, deadline, delivered),
                "sigmatch-capture-" + i);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        for (final Thread t : threads) {
            t.join();
        }
        return delivered.get();
    }

    private void captureLoop(final int index, final PacketRing ring, final IntFunction<Worker> workers, final long limit,
        final AtomicLong remaining, final long deadline, final AtomicLong delivered) {
        final Worker worker;
        try {
            worker = workers.apply(index);
        } catch (final RuntimeException e) {
            threadErrors.increment();
            running = false; // a thread without a decoder would lose its share of the flows: stop all
            return;
        }
        final long[] count = {0};
        final FrameSink sink = new FrameSink() {
            @Override
            public void onFrame(final Frame frame) {
                if (limit == 0 || remaining.getAndDecrement() > 0) {
                    count[0]++;
                    worker.onFrame(frame);
                } else {
                    running = false;
                }
            }
        };
        try {
            while (running) {
                ring.readBlock(sink);
                worker.endOfBatch();
                if (limit > 0 && remaining.get() <= 0 || System.nanoTime() - deadline >= 0) {
                    running = false;
                }
            }
        } catch (final RuntimeException e) {
            threadErrors.increment();
            running = false;
        } finally {
            try {
                worker.finish();
            } finally {
                delivered.addAndGet(count[0]);
            }
        }
    }

    /** Asks every capture thread to stop; they notice within the poll timeout. */
    public void stop() {
        running = false;
    }

    @Override
    public void close() {
        running = false;
        for (final Thread t : threads) {
            try {
                t.join();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        rings.forEach(PacketRing::close);
    }
}
