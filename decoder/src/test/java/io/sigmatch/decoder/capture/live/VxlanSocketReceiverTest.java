package io.sigmatch.decoder.capture.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.netty.channel.epoll.Epoll;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.capture.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VXLAN received on a UDP socket through Netty epoll, on loopback: the frames of the veth test
 * (corpus GTPv2, QinQ-tagged copies, every tunnel form) each wrapped in an RFC 7348 header and
 * sent as one datagram decode exactly as the same inner frames from a pcap file. Datagrams with
 * a bad header are counted and skipped. Needs no privilege.
 */
class VxlanSocketReceiverTest {
    @TempDir
    Path dir;

    @Test
    void innerFramesDecodeLikeTheFile() throws Exception {
        assumeTrue(Epoll.isAvailable(), () -> "no native epoll: " + Epoll.unavailabilityCause());
        final List<byte[]> frames = LiveCaptureVethTest.frames();
        final Counters counters = new Counters();
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final VxlanSocketReceiver receiver = VxlanSocketReceiver.open(new InetSocketAddress("127.0.0.1", 0), () -> {
            final SignalingDecoder decoder = new SignalingDecoder(counters, new DecoderConfig(),
                LiveCaptureVethTest.jsonInto(lines));
            return new LiveCapture.Worker() {
                @Override
                public void onFrame(final Frame frame) {
                    decoder.dissector().onFrame(frame);
                }

                @Override
                public void finish() {
                    decoder.finish();
                }
            };
        }, counters);
        final long sent;
        try (DatagramSocket socket = new DatagramSocket()) {
            final InetSocketAddress to = receiver.localAddress();
            int n = 0;
            for (final byte[] f : frames) {
                send(socket, to, vxlan(0x08, 4242, f));
                n++;
                if (n % 64 == 0) {
                    Thread.sleep(1); // stay inside the socket buffer on a loaded machine
                }
            }
            send(socket, to, vxlan(0x00, 4242, frames.get(0)));     // I flag clear: refused
            send(socket, to, new byte[] {0x08, 0, 0});               // shorter than the header
            sent = n;
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (counters.get("capture.vxlan_socket.datagrams") < sent + 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } finally {
            receiver.close();
        }
        final List<String> expected = LiveCaptureVethTest.fileDecode(dir, frames);
        System.out.println("VXLAN socket: " + counters.get("capture.vxlan_socket.datagrams") + " datagrams, "
            + lines.size() + " messages (file: " + expected.size() + ")");
        assertEquals(sent + 2, counters.get("capture.vxlan_socket.datagrams"));
        assertEquals(1, counters.get("capture.vxlan_socket.error.bad_flags"));
        assertEquals(1, counters.get("capture.vxlan_socket.error.truncated"));
        assertEquals(expected, lines);
    }

    private static void send(final DatagramSocket socket, final InetSocketAddress to, final byte[] b) throws Exception {
        socket.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), to.getPort()));
    }

    private static byte[] vxlan(final int flags, final int vni, final byte[] inner) {
        final byte[] out = new byte[8 + inner.length];
        out[0] = (byte) flags;                                     // flags: I = VNI valid
        out[4] = (byte) (vni >>> 16);                              // VNI, 24 bits
        out[5] = (byte) (vni >>> 8);
        out[6] = (byte) vni;
        System.arraycopy(inner, 0, out, 8, inner.length);          // reserved bytes stay 0
        return out;
    }
}
