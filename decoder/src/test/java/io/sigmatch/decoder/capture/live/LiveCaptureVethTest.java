package io.sigmatch.decoder.capture.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.SignalingJson;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.capture.CaptureFileReader;
import io.sigmatch.decoder.capture.LinkType;
import io.sigmatch.decoder.dissect.TunnelTest;
import io.sigmatch.decoder.testing.Fixtures;
import io.sigmatch.decoder.testing.GeneratedCaptures;
import io.sigmatch.decoder.testing.PcapWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture for real: a veth pair with one end in a fresh network namespace; the test sends
 * frames of the corpus's GTPv2 captures (plus the same frames QinQ-tagged, and every tunnel form
 * of {@link TunnelTest}) into the namespace end with an AF_PACKET socket, captures them on the
 * other end through the TPACKET_V3 ring, decodes them, and compares the JSON Lines with the decode
 * of the same frames written to a pcap file (frame numbers and times aside). Runs as root on Linux
 * with iproute2 (as CI does); skipped with the reason otherwise. The namespace is always removed.
 */
class LiveCaptureVethTest {
    private static final String[] CORPUS = {
        "gtpv2/wiki-GTPV2-Default.pcap", "gtpv2/pcapplusplus-gtpv2.pcap", "gtpv2/ndpi-gtp_c.pcap",
        "gtpv2/ngic-cp_in.pcap", "gtpv2/magma-inbound_roaming_05.pcapng",
        // Diameter over TCP and over SCTP (issue 3): reassembled live as from the file
        "diameter/ndpi-diameter.pcap", "diameter/pyhss-Diameter_AIA2.pcapng", "diameter/magma-gx_gy_combined_03.pcapng"};
    /** tcpdump -ddd 'ip and udp' for Ethernet: ldh [12]; jeq 0x800; ldb [23]; jeq 17; ret 262144; ret 0. */
    static final String IPV4_UDP = "6,40 0 0 12,21 0 3 2048,48 0 0 23,21 0 1 17,6 0 0 262144,6 0 0 0";

    private static VethPair veth;
    private static List<byte[]> frames;

    @TempDir
    Path dir;

    @BeforeAll
    static void createVethPair() throws Exception {
        final String skip = VethPair.skipReason();
        if (skip != null) {
            System.out.println("LiveCaptureVethTest skipped: " + skip);
        }
        assumeTrue(skip == null, skip);
        veth = VethPair.create();
        frames = frames();
    }

    @AfterAll
    static void removeVethPair() throws IOException {
        if (veth != null) {
            veth.close();
        }
    }

    /** Corpus GTPv2 frames, the same frames with a QinQ stack (restored from the kernel's VLAN offload), tunnels. */
    static List<byte[]> frames() throws IOException {
        final List<byte[]> out = new ArrayList<>();
        final List<byte[]> plain = new ArrayList<>();
        for (final String f : CORPUS) {
            final Counters c = new Counters(64);
            try (CaptureFileReader r = CaptureFileReader.open(Fixtures.corpus().resolve(f), c)) {
                r.readAll(frame -> {
                    if (frame.linkType == LinkType.ETHERNET) {
                        final byte[] b = new byte[frame.capturedLength];
                        frame.buffer.getBytes(frame.offset, b);
                        if (!ipv4Fragment(b)) {
                            plain.add(b);
                        }
                    }
                });
            }
        }
        out.addAll(plain);
        for (final byte[] b : plain) {
            out.add(qinq(b));
        }
        out.addAll(TunnelTest.frames());
        return out;
    }

    /**
     * IPv4 fragments are left out: with fanout the kernel reassembles them before a socket gets
     * them (PACKET_FANOUT_FLAG_DEFRAG), so fewer packets arrive than were sent; that case has its
     * own test below.
     */
    private static boolean ipv4Fragment(final byte[] b) {
        return b.length >= 34 && (b[12] & 0xFF) == 0x08 && b[13] == 0
            && (((b[20] & 0xFF) << 8 | b[21] & 0xFF) & 0x3FFF) != 0; // MF flag or fragment offset
    }

    private static byte[] qinq(final byte[] frame) {
        final byte[] tagged = new byte[frame.length + 8];
        System.arraycopy(frame, 0, tagged, 0, 12);                      // MAC addresses
        final byte[] tags = {(byte) 0x88, (byte) 0xA8, 0x00, 0x64,       // 802.1ad S-tag, VLAN 100
            (byte) 0x81, 0x00, 0x00, (byte) 0xC8};                     // 802.1Q C-tag, VLAN 200
        System.arraycopy(tags, 0, tagged, 12, 8);
        System.arraycopy(frame, 12, tagged, 20, frame.length - 12);
        return tagged;
    }

    @Test
    void capturedFramesDecodeLikeTheFile() throws Exception {
        final Result r = captureWhileSending(new LiveCaptureConfig().threads(1), frames, 1);
        final List<String> expected = fileDecode(frames);
        report("1 thread", r, expected.size());
        assertEquals(frames.size(), r.sent, "frames the sender got out");
        assertEquals(expected, r.lines, "live decode equals the file decode, in order");
        assertEquals(0, r.counters.get("capture.live.kernel.drops"));
        assertTrue(r.counters.get("capture.live.vlan_tag_restored") > 0, "QinQ frames came back with their tags");
        assertTrue(expected.size() > 40, "enough messages to mean something: " + expected.size());
        assertTrue(r.counters.get("dissect.tcp.messages") > 0 && r.counters.get("dissect.sctp.messages") > 0,
            "Diameter over TCP and SCTP decoded live");
    }

    /**
     * "Say plainly when it cannot keep up": a ring of two 256 KiB blocks and a decoding thread that
     * stalls 300 ms at its first frame while the sender goes on. The kernel drops what the ring
     * cannot take and says so (tp_drops, read into capture.live.kernel.drops, which the admin plane
     * exports as sigmatch_capture_live_kernel_drops_total and `sigmatch capture` prints at the end);
     * every packet the kernel took is either decoded or counted as dropped.
     */
    @Test
    void ringOverflowIsCountedAsKernelDrops() throws Exception {
        final Counters counters = new Counters();
        final LiveCaptureConfig config = new LiveCaptureConfig().interfaceName(veth.captureSide).threads(1)
            .blockSizeBytes(256 << 10).blockCount(2);
        final long[] frames = {0};
        final long sent;
        try (LiveCapture capture = LiveCapture.open(config, counters)) {
            final Thread runner = new Thread(() -> {
                try {
                    capture.run(i -> {
                        final SignalingDecoder decoder = new SignalingDecoder(counters, new DecoderConfig(), m -> { });
                        return new LiveCapture.Worker() {
                            @Override
                            public void onFrame(final io.sigmatch.decoder.capture.Frame frame) {
                                if (frames[0]++ == 0) {
                                    // a stall: a GC pause, a burst of slow messages
                                    java.util.concurrent.locks.LockSupport.parkNanos(300_000_000L);
                                }
                                decoder.dissector().onFrame(frame);
                            }

                            @Override
                            public void finish() {
                                decoder.finish();
                            }
                        };
                    });
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "capture-runner");
            runner.start();
            sent = VethSender.send(veth.namespace, veth.sendSide, LiveCaptureVethTest.frames, 20);
            long last = -1;
            final long deadline = System.nanoTime() + 10_000_000_000L;
            // past the stall, then until the ring is drained: nothing new for 200 ms and every packet the
            // kernel reported so far read or dropped (on a loaded machine the capture thread can be
            // descheduled for longer than 200 ms with blocks still in the ring)
            Thread.sleep(400);
            while (System.nanoTime() < deadline && (counters.get("capture.live.packets") != last
                || last + counters.get("capture.live.kernel.drops") != counters.get("capture.live.kernel.packets"))) {
                last = counters.get("capture.live.packets");
                Thread.sleep(200);
            }
            capture.stop();
            runner.join();
        }
        final long captured = counters.get("capture.live.packets");
        final long drops = counters.get("capture.live.kernel.drops");
        System.out.printf("veth ring overflow (2 x 256 KiB ring, 300 ms stall): sent %d, captured %d, kernel drops %d,"
                + " kernel saw %d, blocks flagged losing %d, queue freezes %d%n", sent, captured, drops,
            counters.get("capture.live.kernel.packets"), counters.get("capture.live.ring_full_blocks"),
            counters.get("capture.live.kernel.freeze_queue"));
        assertTrue(drops > 0, "the stall overflowed the ring and the kernel said so");
        assertEquals(counters.get("capture.live.kernel.packets"), captured + drops,
            "every packet the kernel took: decoded or counted as dropped (tp_packets counts both)");
        assertTrue(captured + drops <= sent);
        assertEquals(captured, counters.get("dissect.frames"), "every captured frame reached the dissector");
    }

    @Test
    void fanoutAcrossThreadsKeepsEveryMessage() throws Exception {
        final Result r = captureWhileSending(new LiveCaptureConfig().threads(2), frames, 1);
        final List<String> expected = fileDecode(frames);
        report("2 threads, fanout hash", r, expected.size());
        final List<String> sortedExpected = new ArrayList<>(expected);
        Collections.sort(sortedExpected);
        final List<String> sortedLive = new ArrayList<>(r.lines);
        Collections.sort(sortedLive);
        assertEquals(sortedExpected, sortedLive, "every message decoded once, whichever thread took it");
    }

    @Test
    void kernelFilterPassesOnlyWhatItAccepts() throws Exception {
        final Predicate<byte[]> ipv4Udp = b -> b.length > 23 && (b[12] & 0xFF) == 0x08 && b[13] == 0 && b[23] == 17;
        final List<byte[]> untagged = new ArrayList<>();
        for (final byte[] b : frames) {
            if (!((b[12] & 0xFF) == 0x88 && (b[13] & 0xFF) == 0xA8)) {
                untagged.add(b); // the kernel filter sees offloaded tags removed: keep the expectation simple
            }
        }
        final List<byte[]> accepted = new ArrayList<>();
        for (final byte[] b : untagged) {
            if (ipv4Udp.test(b)) {
                accepted.add(b);
            }
        }
        final Result r = captureUntil(new LiveCaptureConfig().threads(1).filter(BpfProgram.parse(IPV4_UDP)), untagged,
            accepted.size());
        final List<String> expected = fileDecode(accepted);
        report("BPF 'ip and udp' (" + accepted.size() + " of " + untagged.size() + " frames match)", r, expected.size());
        assertTrue(accepted.size() < untagged.size(), "the test sends frames the filter must drop");
        assertEquals(accepted.size(), r.counters.get("capture.live.packets"), "exactly the IPv4 UDP frames");
        assertEquals(expected, r.lines);
    }

    @Test
    void packetsPerSecondIntoTheDecoder() throws Exception {
        final int rounds = 150;
        final Result r = captureWhileSending(new LiveCaptureConfig().threads(1), frames, rounds);
        final double seconds = r.nanos / 1e9;
        System.out.printf("veth live capture: sent %d frames, captured %d, kernel drops %d, freezes %d, "
                + "messages %d in %.3f s = %.0f packets/s into the decoder (the sender, one sendto per frame, sets the pace)%n",
            r.sent, r.counters.get("capture.live.packets"), r.counters.get("capture.live.kernel.drops"),
            r.counters.get("capture.live.kernel.freeze_queue"), r.lines.size(), seconds,
            r.counters.get("capture.live.packets") / seconds);
        assertTrue(r.counters.get("capture.live.packets") > 0);
        // The same frames from a file, same decoder, same machine, for comparison.
        final List<byte[]> many = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            many.addAll(frames);
        }
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, true, 65_535, LinkType.ETHERNET);
        for (int i = 0; i < many.size(); i++) {
            w.packet(GeneratedCaptures.T0 + i * 1000L, many.get(i));
        }
        final Path file = w.writeTo(Files.createTempFile(dir, "many", ".pcap"));
        final long[] messages = {0};
        final SignalingDecoder decoder = new SignalingDecoder(new Counters(), new DecoderConfig(), m -> messages[0]++);
        final long start = System.nanoTime();
        final long n = decoder.decodeFile(file);
        decoder.finish();
        final double fileSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("file decode of the same %d frames: %d messages in %.3f s = %.0f packets/s%n", n, messages[0],
            fileSeconds, n / fileSeconds);
    }

    /**
     * Fragmented GTPv2 datagrams with two capture threads: PACKET_FANOUT_FLAG_DEFRAG makes the
     * kernel reassemble before it picks a socket, so every datagram reaches one thread whole and
     * decodes, whichever thread that is.
     */
    @Test
    void fragmentedDatagramsReachOneThreadWhole() throws Exception {
        final List<byte[]> fragments = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            final byte[] gtp = largeCreateSessionRequest(i);
            final byte[] udp = io.sigmatch.decoder.testing.Packets.udp(30_000 + i, 2123, gtp);
            for (final byte[] f : GeneratedCaptures.fragments4("10.1." + (i % 7) + ".1", "10.2.0." + (1 + i % 5),
                0x4000 + i, udp)) {
                fragments.add(io.sigmatch.decoder.testing.Packets.ethernet(0x0800, f));
            }
        }
        final Result r = captureUntil(new LiveCaptureConfig().threads(2), fragments, 200);
        final List<String> expected = fileDecode(fragments);
        report("2 threads, " + fragments.size() + " fragments of 200 datagrams", r, expected.size());
        assertEquals(200, expected.size(), "the file decode reassembles all 200");
        final List<String> sortedExpected = new ArrayList<>(expected);
        Collections.sort(sortedExpected);
        final List<String> sortedLive = new ArrayList<>(r.lines);
        Collections.sort(sortedLive);
        assertEquals(sortedExpected, sortedLive, "every datagram decoded once");
        assertEquals(0, r.counters.get("dissect.frag.drop.incomplete_at_end"), "no datagram left in pieces");
    }

    /** TS 29.274 Create Session Request of about 3 KB: IMSI, RAT Type and a Private Extension of padding. */
    private static byte[] largeCreateSessionRequest(final int sequence) {
        final int padding = 3000;
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + 12 + 5 + 4 + 2 + padding);
        b.put((byte) 0x48).put((byte) 32).putShort((short) (b.capacity() - 4));   // version 2 T=1, CSR, length
        b.putInt(0).put((byte) (sequence >> 16)).put((byte) (sequence >> 8)).put((byte) sequence).put((byte) 0); // TEID, seq
        b.put((byte) 1).putShort((short) 8).put((byte) 0)                        // IMSI IE, length 8
            .put(new byte[] {0x64, 0x00, 0x00, 0x21, 0x43, 0x65, (byte) 0x87, (byte) 0xF9}); // 460000123456789
        b.put((byte) 82).putShort((short) 1).put((byte) 0).put((byte) 6);        // RAT Type EUTRAN
        b.put((byte) 255).putShort((short) (2 + padding)).put((byte) 0)          // Private Extension
            .putShort((short) 10415).put(new byte[padding]);                      // enterprise id, value
        return b.array();
    }

    /**
     * The capture thread allocates nothing per packet once warm: ring reading, Dissector and the
     * GTPv2 decoder, measured with the JVM's per-thread allocation counter on the capture thread
     * itself (the sink here counts messages instead of building JSON).
     */
    @Test
    void captureThreadAllocatesNothingPerPacket() throws Exception {
        assumeTrue(java.lang.management.ManagementFactory.getThreadMXBean()
            instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported(), "no allocation counter");
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        final int warmUp = 10_000;
        final long[] allocated = {-1, -1};
        final long[] cpu = {-1, -1};
        final long[] seen = {0};
        final long[] messages = {0};
        final Counters counters = new Counters();
        final LiveCaptureConfig config = new LiveCaptureConfig().interfaceName(veth.captureSide).threads(1)
            .blockSizeBytes(1 << 20).blockCount(16);
        final long sent;
        try (LiveCapture capture = LiveCapture.open(config, counters)) {
            final Thread runner = new Thread(() -> {
                try {
                    capture.run(i -> {
                        final SignalingDecoder decoder = new SignalingDecoder(counters, new DecoderConfig(),
                            m -> messages[0]++);
                        return new LiveCapture.Worker() {
                            @Override
                            public void onFrame(final io.sigmatch.decoder.capture.Frame frame) {
                                if (++seen[0] == warmUp) {
                                    allocated[0] = threads.getCurrentThreadAllocatedBytes();
                                    cpu[0] = threads.getCurrentThreadCpuTime();
                                }
                                decoder.dissector().onFrame(frame);
                            }

                            @Override
                            public void finish() {
                                allocated[1] = threads.getCurrentThreadAllocatedBytes();
                                cpu[1] = threads.getCurrentThreadCpuTime();
                            }
                        };
                    });
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "capture-runner");
            runner.start();
            sent = VethSender.send(veth.namespace, veth.sendSide, frames, 100);
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (counters.get("capture.live.packets") < sent && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            capture.stop();
            runner.join();
        }
        final long packets = seen[0] - warmUp;
        final long bytes = allocated[1] - allocated[0];
        System.out.printf("capture thread steady state: %d bytes allocated over %d packets (%d messages), "
            + "%.2f bytes/packet; capture thread CPU %.0f ns/packet (ring + dissect + GTPv2 decode, "
            + "poll waits excluded) = capacity about %.0f packets/s per thread%n", bytes, packets, messages[0],
            (double) bytes / packets, (double) (cpu[1] - cpu[0]) / packets, packets * 1e9 / (cpu[1] - cpu[0]));
        // Enough packets for one object per packet to show; how many arrive in time depends on the
        // sender and the machine (a loaded 2-core CI box captured 24 000 of them once).
        assertTrue(packets > 10_000, "packets after warm-up: " + packets);
        // One object per packet would be > 160 KB here; what remains is poll()/statistics calls and JIT noise.
        assertTrue(bytes < 64 * 1024, "allocated " + bytes + " bytes in steady state");
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private record Result(List<String> lines, Counters counters, long sent, long nanos) {
    }

    private static void report(final String what, final Result r, final int expectedMessages) {
        System.out.printf("veth %s: sent %d, captured %d (kernel saw %d, drops %d, freezes %d), "
                + "messages %d live / %d from the file, tags restored %d%n", what, r.sent,
            r.counters.get("capture.live.packets"), r.counters.get("capture.live.kernel.packets"),
            r.counters.get("capture.live.kernel.drops"), r.counters.get("capture.live.kernel.freeze_queue"),
            r.lines.size(), expectedMessages, r.counters.get("capture.live.vlan_tag_restored"));
    }

    private Result captureWhileSending(final LiveCaptureConfig config, final List<byte[]> toSend, final int rounds)
        throws Exception {
        return capture(config, toSend, rounds, -1);
    }

    private Result captureUntil(final LiveCaptureConfig config, final List<byte[]> toSend, final long expectedPackets)
        throws Exception {
        return capture(config, toSend, 1, expectedPackets);
    }

    /**
     * Opens the capture (every packet from here on is in the ring), sends, waits until the
     * capture has as many packets as were sent (or expectedPackets), then lets it drain briefly.
     */
    private Result capture(final LiveCaptureConfig config, final List<byte[]> toSend, final int rounds,
        final long expectedPackets) throws Exception {
        final Counters counters = new Counters();
        final List<List<String>> perThread = Collections.synchronizedList(new ArrayList<>());
        config.interfaceName(veth.captureSide).blockSizeBytes(1 << 20).blockCount(16);
        final long start;
        final long sent;
        final long end;
        try (LiveCapture capture = LiveCapture.open(config, counters)) {
            final Thread runner = new Thread(() -> {
                try {
                    capture.run(i -> worker(counters, perThread));
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "capture-runner");
            runner.start();
            start = System.nanoTime();
            sent = VethSender.send(veth.namespace, veth.sendSide, toSend, rounds);
            final long want = expectedPackets >= 0 ? expectedPackets : sent;
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (counters.get("capture.live.packets") < want && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            end = System.nanoTime();
            Thread.sleep(expectedPackets >= 0 ? 200 : 20); // a filter test also proves nothing more arrives
            capture.stop();
            runner.join();
        }
        final List<String> lines = new ArrayList<>();
        perThread.forEach(lines::addAll);
        return new Result(lines, counters, sent, end - start);
    }

    private static LiveCapture.Worker worker(final Counters counters, final List<List<String>> perThread) {
        final List<String> lines = new ArrayList<>();
        perThread.add(lines);
        final SignalingDecoder decoder = new SignalingDecoder(counters, new DecoderConfig(), jsonInto(lines));
        return new LiveCapture.Worker() {
            @Override
            public void onFrame(final io.sigmatch.decoder.capture.Frame frame) {
                decoder.dissector().onFrame(frame);
            }

            @Override
            public void finish() {
                decoder.finish();
            }
        };
    }

    /** The same frames as a pcap file, decoded the way `sigmatch decode` does. */
    private List<String> fileDecode(final List<byte[]> list) throws IOException {
        return fileDecode(dir, list);
    }

    static List<String> fileDecode(final Path dir, final List<byte[]> list) throws IOException {
        final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, true, 65_535, LinkType.ETHERNET);
        for (int i = 0; i < list.size(); i++) {
            w.packet(GeneratedCaptures.T0 + i * 1000L, list.get(i));
        }
        final Path file = w.writeTo(Files.createTempFile(dir, "sent", ".pcap"));
        final List<String> lines = new ArrayList<>();
        final SignalingDecoder decoder = new SignalingDecoder(new Counters(), new DecoderConfig(), jsonInto(lines));
        decoder.decodeFile(file);
        decoder.finish();
        return lines;
    }

    /** JSON Lines as `sigmatch decode` prints them, without the frame number and time. */
    static MessageSink jsonInto(final List<String> lines) {
        final StringBuilder sb = new StringBuilder();
        return new MessageSink() {
            @Override
            public void onMessage(final SignalingMessage m) {
                sb.setLength(0);
                SignalingJson.appendTo(m, sb, true);
                lines.add(sb.toString().replaceFirst("^\\{\"frame\":\\d+,\"time\":\"[0-9.]+\",?", "{"));
            }
        };
    }
}
