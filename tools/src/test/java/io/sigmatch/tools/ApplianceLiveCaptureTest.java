package io.sigmatch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.netty.buffer.ByteBuf;
import io.sigmatch.admin.TokenStore;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.capture.CaptureFileReader;
import io.sigmatch.decoder.dissect.Dissector;
import io.sigmatch.decoder.dissect.DissectorConfig;
import io.sigmatch.decoder.dissect.ProtocolDispatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sigmatch run} with {@code capture.interface}: the appliance on a live AF_PACKET ring matches
 * what it matches replaying a file of the same packets. The demo capture's GTPv2-C datagrams are sent
 * over the loopback interface from sockets bound to addresses in 127.83.77.0/24 (one per original
 * address, original ports kept, so the decoder's correlation sees the same peers), with a BPF filter
 * (capture.filter) that admits only those; the same datagrams written to a pcap and replayed through
 * the appliance give the expected matches. Needs root (CAP_NET_RAW), as live capture does.
 */
class ApplianceLiveCaptureTest {
    private static final Path REPO = Path.of(System.getProperty("sigmatch.repo", "..")).toAbsolutePath().normalize();
    private static final Path DEMO = REPO.resolve("pcap-samples/demo");
    private static final int GTPV2_PORT = 2123;

    /**
     * "ip and udp and src net 127.83.77.0/24" as `tcpdump -ddd` would print it for an Ethernet-framed
     * interface (loopback is): ldh [12]; jeq IPv4; ldb [23]; jeq UDP; ld [26]; and /24; jeq net; ret.
     */
    private static final String FILTER = "9, 40 0 0 12, 21 0 5 2048, 48 0 0 23, 21 0 3 17, 32 0 0 26, "
        + "84 0 0 4294967040, 21 1 0 " + 0x7F534D00L + ", 6 0 0 0, 6 0 0 262144";

    @TempDir
    Path tmp;

    /** One UDP datagram of the capture, its endpoints mapped to loopback addresses. */
    private record Datagram(long timeNs, int src, int srcPort, int dst, int dstPort, byte[] payload) {
    }

    private static boolean root() throws IOException {
        for (final String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2].equals("0");
            }
        }
        return false;
    }

    /** The GTPv2-C datagrams of the demo capture, through our own dissector (no tshark needed). */
    private static List<Datagram> gtpv2Datagrams() throws IOException {
        final List<Datagram> out = new ArrayList<>();
        final Map<String, Integer> hosts = new HashMap<>();
        final Counters counters = new Counters();
        final ProtocolDispatch dispatch = new ProtocolDispatch();
        dispatch.udpPort(GTPV2_PORT, (PacketInfo p, ByteBuf b, int offset, int length, MessageSink sink) -> {
            final byte[] payload = new byte[length];
            b.getBytes(offset, payload);
            final int src = hosts.computeIfAbsent(p.ipVersion + ":" + p.srcHi + ":" + p.srcLo, k -> hosts.size() + 1);
            final int dst = hosts.computeIfAbsent(p.ipVersion + ":" + p.dstHi + ":" + p.dstLo, k -> hosts.size() + 1);
            out.add(new Datagram(p.timeNs, src, p.srcPort, dst, p.dstPort, payload));
        });
        final MessageSink none = new MessageSink() {
            @Override
            public void onMessage(final SignalingMessage message) {
            }
        };
        final Dissector dissector = new Dissector(counters, dispatch, none, new DissectorConfig());
        try (CaptureFileReader reader = CaptureFileReader.open(DEMO.resolve("epc-attach.pcapng"), counters)) {
            reader.readAll(dissector);
        }
        assertTrue(hosts.size() < 250);
        return out;
    }

    private static byte[] address(final int host) {
        return new byte[] {127, 83, 77, (byte) host};
    }

    /** The datagrams as a little-endian pcap of Ethernet frames, as the loopback interface shows them. */
    private static void writePcap(final List<Datagram> datagrams, final Path file) throws IOException {
        int size = 24;
        for (final Datagram d : datagrams) {
            size += 16 + 14 + 20 + 8 + d.payload.length;
        }
        final ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xA1B23C4D).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1); // ns pcap, Ethernet
        for (final Datagram d : datagrams) {
            final int ipLength = 20 + 8 + d.payload.length;
            b.putInt((int) (d.timeNs / 1_000_000_000L)).putInt((int) (d.timeNs % 1_000_000_000L))
                .putInt(14 + ipLength).putInt(14 + ipLength);
            b.order(ByteOrder.BIG_ENDIAN);
            b.put(new byte[12]).putShort((short) 0x0800);                              // zero MACs, IPv4
            b.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putInt(0x4000)   // DF, no fragments
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(address(d.src)).put(address(d.dst));
            b.putShort((short) d.srcPort).putShort((short) d.dstPort).putShort((short) (8 + d.payload.length))
                .putShort((short) 0).put(d.payload);
            b.order(ByteOrder.LITTLE_ENDIAN);
        }
        Files.write(file, b.array());
    }

    private String yaml(final String capture, final String name) {
        return "capture:\n" + capture
            + "pipeline:\n  shards: 2\n  ringSize: 1024\n"
            + "data:\n  dir: " + tmp.resolve(name) + "\n"
            + "rules: " + DEMO.resolve("rules.json") + "\n"
            + "admin:\n  enabled: false\n";
    }

    /** (rule, imsi) → count, over the journal's JSON lines. */
    private static TreeMap<String, Integer> matches(final Path journal) throws Exception {
        final StringWriter w = new StringWriter();
        JournalCommand.print(journal, w);
        final TreeMap<String, Integer> m = new TreeMap<>();
        for (final String line : w.toString().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            final String rule = line.replaceAll(".*\"rule\":\"([^\"]*)\".*", "$1");
            final String imsi = line.contains("\"imsi\"") ? line.replaceAll(".*\"imsi\":\"([0-9]*)\".*", "$1") : "-";
            m.merge(rule + " " + imsi, 1, Integer::sum);
        }
        return m;
    }

    @Test
    void liveOnLoopbackMatchesWhatTheSamePacketsReplayedMatch() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux") && root(),
            "live capture needs Linux and root (CAP_NET_RAW)");
        final List<Datagram> datagrams = gtpv2Datagrams();
        assertTrue(datagrams.size() > 100, "the demo has GTPv2-C: " + datagrams.size());

        // expected: the same datagrams from a file
        final Path pcap = tmp.resolve("gtpv2.pcap");
        writePcap(datagrams, pcap);
        final Path fileYaml = Files.writeString(tmp.resolve("file.yaml"), yaml("  files: [" + pcap + "]\n", "file"));
        final Appliance replay = Appliance.start(ApplianceConfig.load(fileYaml), TokenStore.load(tmp.resolve("none")));
        try {
            replay.awaitIntake();
        } finally {
            replay.close();
        }
        final TreeMap<String, Integer> expected = matches(tmp.resolve("file/journal"));
        assertTrue(expected.values().stream().mapToInt(Integer::intValue).sum() > 10, expected.toString());

        // live: the appliance on lo, the datagrams sent from the mapped addresses
        final Path liveYaml = Files.writeString(tmp.resolve("live.yaml"), yaml("  interface: lo\n  ringMib: 64\n"
            + "  filter: \"" + FILTER + "\"\n", "live"));
        final Appliance live = Appliance.start(ApplianceConfig.load(liveYaml), TokenStore.load(tmp.resolve("none")));
        final Map<String, DatagramSocket> sockets = new HashMap<>();
        try {
            for (final Datagram d : datagrams) {
                final DatagramSocket s = sockets.computeIfAbsent(d.src + ":" + d.srcPort, k -> {
                    try {
                        return new DatagramSocket(new InetSocketAddress(InetAddress.getByAddress(address(d.src)), d.srcPort));
                    } catch (final IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                s.send(new DatagramPacket(d.payload, d.payload.length, InetAddress.getByAddress(address(d.dst)), d.dstPort));
                Thread.sleep(0, 200_000); // a little apart, as signaling is: no socket buffer ever fills
            }
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (live.counters.get("capture.live.packets") < datagrams.size() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            // a block is handed over when full or after 10 ms: 64 blocks ride out a capture thread
            // descheduled for most of a second on this shared machine
            assertEquals(datagrams.size(), live.counters.get("capture.live.packets"),
                "the filter admitted exactly the datagrams sent (kernel drops: "
                    + live.counters.get("capture.live.kernel.drops") + ")");
        } finally {
            sockets.values().forEach(DatagramSocket::close);
            live.close();   // stops capture, publishes what the decoder completes at the end, drains
        }
        assertEquals(0, live.counters.get("capture.live.kernel.drops"));
        assertEquals(expected, matches(tmp.resolve("live/journal")));
        System.out.printf("live on lo: %d datagrams captured, %d events, %d matches, as the file replay%n",
            datagrams.size(), live.counters.get("pipeline.events"), live.counters.get("pipeline.matches"));
    }
}
