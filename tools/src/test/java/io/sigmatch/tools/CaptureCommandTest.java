package io.sigmatch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `sigmatch capture`: one clear line and exit 1 when it cannot start; as root, a GTPv2 message
 * sent over loopback prints the same JSON line `sigmatch decode` prints for it from a file.
 */
class CaptureCommandTest {
    @TempDir
    Path tmp;

    @Test
    void noSuchInterfaceIsOneLineAndExitOne() {
        final Run run = run("capture", "--interface", "nosuchif0", "--count", "1");
        assertEquals(1, run.code);
        assertEquals("sigmatch capture: no such interface: nosuchif0", run.err.strip());
        assertEquals("", run.out);
    }

    @Test
    void badFilterIsOneLineAndExitOne() {
        final Run run = run("capture", "--interface", "lo", "--filter", "2,6 0 0 0");
        assertEquals(1, run.code);
        assertEquals("sigmatch capture: BPF program says 2 instructions but has 1", run.err.strip());
    }

    @Test
    void loopbackGtpv2PrintsWhatDecodePrints() throws Exception {
        assumeTrue(isRootOnLinux(), "needs root on Linux (AF_PACKET on lo)");
        final byte[] gtp = createSessionRequest();
        // A port of its own and a kernel filter for it: other tests on this machine use loopback too.
        final int port = 40_000 + new java.util.Random().nextInt(20_000);
        final String filter = "8,40 0 0 12,21 0 5 2048,48 0 0 23,21 0 3 17,40 0 0 36,21 0 1 " + port
            + ",6 0 0 262144,6 0 0 0"; // tcpdump -ddd 'ip and udp dst port PORT' (IHL 5)
        final Thread sender = new Thread(() -> {
            try (DatagramSocket s = new DatagramSocket()) {
                Thread.sleep(800); // the capture is set up well within this
                s.send(new DatagramPacket(gtp, gtp.length, InetAddress.getLoopbackAddress(), port));
            } catch (final Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sender.start();
        final Run live = run("capture", "--interface", "lo", "--duration", "2", "--ring-mib", "4", "--filter", filter,
            "--port", "gtpv2=" + port);
        sender.join();
        assertEquals(0, live.code, live.err);
        assertTrue(live.err.contains("captured "), live.err);

        final Path file = pcapWithUdp(gtp, port);
        final Run decoded = run("decode", file.toString(), "--port", "gtpv2=" + port);
        assertEquals(0, decoded.code, decoded.err);
        assertEquals(1, decoded.lines().size(), decoded.out);
        assertEquals(List.of(strip(decoded.lines().get(0))), live.lines().stream().map(CaptureCommandTest::strip).toList(),
            live.err);
    }

    @Test
    void vxlanOnAUdpPortPrintsWhatDecodePrints() throws Exception {
        final byte[] gtp = createSessionRequest();
        final int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // a free port, released for the receiver
        }
        final byte[] inner = ethernetUdp(gtp, 2123);
        final byte[] vxlan = new byte[8 + inner.length];
        vxlan[0] = 0x08;                                                           // flags: I
        vxlan[6] = 42;                                                             // VNI 42
        System.arraycopy(inner, 0, vxlan, 8, inner.length);
        final Thread sender = new Thread(() -> {
            try (DatagramSocket s = new DatagramSocket()) {
                for (int i = 0; i < 20; i++) { // until the receiver is bound; --count 1 keeps one
                    Thread.sleep(200);
                    s.send(new DatagramPacket(vxlan, vxlan.length, InetAddress.getLoopbackAddress(), port));
                }
            } catch (final Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sender.start();
        final Run live = run("capture", "--vxlan-listen", "127.0.0.1:" + port, "--count", "1", "--duration", "10");
        sender.join();
        assertEquals(0, live.code, live.err);
        final Run decoded = run("decode", pcapWithUdp(gtp, 2123).toString());
        assertEquals(List.of(strip(decoded.lines().get(0))), live.lines().stream().map(CaptureCommandTest::strip).toList(),
            live.err);
        assertEquals(1, run("capture", "--count", "1").code, "neither --interface nor --vxlan-listen");
    }

    private static String strip(final String json) {
        return json.replaceFirst("^\\{\"frame\":\\d+,\"time\":\"[0-9.]+\",?", "{");
    }

    private static boolean isRootOnLinux() {
        try {
            return System.getProperty("os.name").toLowerCase().contains("linux")
                && Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
        } catch (final java.io.IOException e) {
            return false;
        }
    }

    /** TS 29.274 7.2.1 Create Session Request: IMSI 460000123456789, RAT EUTRAN. */
    private static byte[] createSessionRequest() {
        return new byte[] {
            0x48, 32, 0, 25,                      // version 2, T=1; Create Session Request; length 25
            0, 0, 0, 0,                           // TEID 0
            0, 0, 7, 0,                           // sequence 7, spare
            1, 0, 8, 0,                           // IE IMSI, length 8, instance 0
            0x64, 0x00, 0x00, 0x21, 0x43, 0x65, (byte) 0x87, (byte) 0xF9,  // TBCD 460000123456789
            82, 0, 1, 0, 6};                      // IE RAT Type EUTRAN
    }

    /** A pcap with one Ethernet/IPv4/UDP frame 127.0.0.1 -> 127.0.0.1:port carrying payload. */
    private Path pcapWithUdp(final byte[] payload, final int port) throws Exception {
        final byte[] frame = ethernetUdp(payload, port);
        final ByteBuffer pcap = ByteBuffer.allocate(24 + 16 + frame.length).order(ByteOrder.LITTLE_ENDIAN);
        pcap.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
            .putInt(65535).putInt(1);                                             // pcap header, Ethernet
        pcap.putInt(1_700_000_000).putInt(0).putInt(frame.length).putInt(frame.length).put(frame);
        return Files.write(tmp.resolve("one.pcap"), pcap.array());
    }

    private static byte[] ethernetUdp(final byte[] payload, final int port) {
        final int ipLength = 20 + 8 + payload.length;
        final ByteBuffer f = ByteBuffer.allocate(14 + ipLength);
        f.put(new byte[12]).putShort((short) 0x0800);                             // MACs 0, EtherType IPv4
        f.put((byte) 0x45).put((byte) 0).putShort((short) ipLength)               // version/IHL, TOS, total length
            .putShort((short) 1).putShort((short) 0x4000)                         // id, DF
            .put((byte) 64).put((byte) 17).putShort((short) 0)                    // TTL, UDP, checksum (unchecked)
            .put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1});       // source, destination
        f.putShort((short) 40000).putShort((short) port)                          // UDP ports
            .putShort((short) (8 + payload.length)).putShort((short) 0).put(payload);
        return f.array();
    }

    private static Run run(final String... args) {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        final int code;
        try {
            code = SigmatchCli.execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    private record Run(int code, String out, String err) {
        List<String> lines() {
            return Arrays.stream(out.split("\n")).filter(l -> !l.isBlank()).toList();
        }
    }
}
