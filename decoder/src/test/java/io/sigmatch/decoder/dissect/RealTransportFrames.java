package io.sigmatch.decoder.dissect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.capture.CaptureFileReader;
import io.sigmatch.decoder.capture.LinkType;

/**
 * Real IPv4 frames of a capture taken apart into link header, IPv4 header and transport segment
 * (TCP or SCTP), so a test can put other transport bytes (cut, flipped, renumbered) in the same
 * real framing. Only unfragmented IPv4 frames on Diameter's port 3868 (RFC 6733 2.1) are kept;
 * {@link #with} fixes the IPv4 total length (the checksum is not verified, as in Wireshark's default).
 */
final class RealTransportFrames {
    static final int TCP = 6;
    static final int SCTP = 132;
    private static final int DIAMETER_PORT = 3868;

    private RealTransportFrames() {
    }

    /** One real frame: its time, link type, and the three parts. */
    record Real(long number, long timeNs, int linkType, byte[] link, byte[] ip, byte[] transport) {
        /** The same link and IPv4 headers around another transport segment. */
        byte[] with(final byte[] segment) {
            final byte[] out = new byte[link.length + ip.length + segment.length];
            System.arraycopy(link, 0, out, 0, link.length);
            System.arraycopy(ip, 0, out, link.length, ip.length);
            final int total = ip.length + segment.length;
            out[link.length + 2] = (byte) (total >>> 8); // IPv4 total length (RFC 791 3.1)
            out[link.length + 3] = (byte) total;
            System.arraycopy(segment, 0, out, link.length + ip.length, segment.length);
            return out;
        }

        byte[] frame() {
            return with(transport);
        }

        int srcPort() {
            return u16(transport, 0);
        }

        int dstPort() {
            return u16(transport, 2);
        }

        /** TCP: the bytes after the header (RFC 9293 3.1 data offset). */
        byte[] tcpPayload() {
            final int header = (transport[12] & 0xF0) >>> 2;
            return java.util.Arrays.copyOfRange(transport, header, transport.length);
        }

        byte[] tcpHeader() {
            final int header = (transport[12] & 0xF0) >>> 2;
            return java.util.Arrays.copyOfRange(transport, 0, header);
        }

        long tcpSeq() {
            return u32(transport, 4);
        }

        /** One direction of a flow or association: addresses and ports, source first. */
        String direction() {
            return u32(ip, 12) + ":" + srcPort() + ">" + u32(ip, 16) + ":" + dstPort();
        }
    }

    /** Frames of the capture carrying the protocol on port 3868 (TCP: with payload only). */
    static List<Real> load(final Path capture, final int protocol) throws IOException {
        final List<Real> out = new ArrayList<>();
        try (CaptureFileReader reader = CaptureFileReader.open(capture, new Counters(64))) {
            reader.readAll(frame -> {
                final byte[] b = new byte[frame.capturedLength];
                frame.buffer.getBytes(frame.offset, b);
                int ipAt;
                if (frame.linkType == LinkType.NULL) {
                    ipAt = 4; // BSD loopback: 4-byte address family in host order
                    if (b.length < 4 || (b[0] != 2 && b[3] != 2)) {
                        return;
                    }
                } else if (frame.linkType == LinkType.ETHERNET) {
                    ipAt = 12;
                    while (ipAt + 2 <= b.length && (u16(b, ipAt) == 0x8100 || u16(b, ipAt) == 0x88A8)) {
                        ipAt += 4; // 802.1Q / 802.1ad tag
                    }
                    if (ipAt + 2 > b.length || u16(b, ipAt) != 0x0800) {
                        return;
                    }
                    ipAt += 2;
                } else {
                    return;
                }
                if (b.length < ipAt + 20 || (b[ipAt] & 0xF0) != 0x40 || (b[ipAt + 9] & 0xFF) != protocol) {
                    return;
                }
                final int ihl = (b[ipAt] & 0x0F) << 2;
                final int total = u16(b, ipAt + 2);
                if ((u16(b, ipAt + 6) & 0x3FFF) != 0 || total > b.length - ipAt || total < ihl + 12) {
                    return; // a fragment, or cut by the snap length
                }
                final byte[] transport = java.util.Arrays.copyOfRange(b, ipAt + ihl, ipAt + total);
                if (u16(transport, 0) != DIAMETER_PORT && u16(transport, 2) != DIAMETER_PORT) {
                    return;
                }
                if (protocol == TCP && transport.length <= ((transport[12] & 0xF0) >>> 2)) {
                    return;
                }
                out.add(new Real(frame.number, frame.timeNs, frame.linkType, java.util.Arrays.copyOf(b, ipAt),
                    java.util.Arrays.copyOfRange(b, ipAt, ipAt + ihl), transport));
            });
        }
        return out;
    }

    /** A TCP segment: the real header with another sequence number and payload. */
    static byte[] tcp(final byte[] header, final long seq, final byte[] payload) {
        final byte[] out = new byte[header.length + payload.length];
        System.arraycopy(header, 0, out, 0, header.length);
        put32(out, 4, seq);
        System.arraycopy(payload, 0, out, header.length, payload.length);
        return out;
    }

    static int u16(final byte[] b, final int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }

    static long u32(final byte[] b, final int at) {
        return (long) u16(b, at) << 16 | u16(b, at + 2);
    }

    static void put16(final byte[] b, final int at, final int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void put32(final byte[] b, final int at, final long v) {
        put16(b, at, (int) (v >>> 16) & 0xFFFF);
        put16(b, at + 2, (int) v & 0xFFFF);
    }
}
