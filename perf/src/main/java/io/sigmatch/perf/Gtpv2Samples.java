package io.sigmatch.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;
import io.sigmatch.decoder.dissect.Dissector;
import io.sigmatch.decoder.dissect.ProtocolDispatch;
import io.sigmatch.decoder.gtpv2.Gtpv2Ie;

/**
 * Real GTPv2-C messages for the benchmarks, taken out of corpus captures by the dissector itself (so
 * the bytes are exactly what the decoder sees in a replay), and one derived variant whose User
 * Location Information carries every location form the corpus lacks.
 */
public final class Gtpv2Samples {
    /** TS 29.274 8.1: message type of Create Session Request. */
    public static final int CREATE_SESSION_REQUEST = 32;

    private Gtpv2Samples() {
    }

    /** A UDP payload and the packet it came in. */
    public record Sample(byte[] payload, PacketInfo packet) {
    }

    /** The repository root: -Dsigmatch.repo, else the first parent of the working directory holding pcap-samples. */
    public static Path repo() {
        final String prop = System.getProperty("sigmatch.repo");
        if (prop != null && !prop.isEmpty()) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("pcap-samples/corpus"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find pcap-samples/: run from the checkout or set -Dsigmatch.repo");
    }

    public static Path corpus(final String relative) {
        return repo().resolve("pcap-samples/corpus").resolve(relative);
    }

    /** The first GTPv2-C message of the given type in the capture (UDP port 2123). */
    public static Sample first(final Path capture, final int messageType) throws IOException {
        final Grab grab = new Grab(messageType);
        final ProtocolDispatch dispatch = new ProtocolDispatch();
        for (final int port : new DecoderConfig().conclude().ports(io.sigmatch.decoder.Protocol.GTPV2)) {
            dispatch.udpPort(port, grab);
        }
        final Counters counters = new Counters();
        final Dissector dissector = new Dissector(counters, dispatch, m -> { }, new DecoderConfig().conclude().dissector());
        try (InMemoryCapture c = InMemoryCapture.load(capture)) {
            c.replay(dissector, 0);
        }
        if (grab.payload == null) {
            throw new IOException(capture + ": no GTPv2-C message of type " + messageType);
        }
        return new Sample(grab.payload, grab.packet);
    }

    /**
     * The message with its top-level User Location Information IE (TS 29.274 8.21) replaced by one
     * carrying CGI, SAI, RAI, TAI, ECGI and LAI (flags 0x3F), all in the PLMN of the original's first
     * location; the message length in the header is adjusted. The ULI-heavy shape of a 2G/3G/4G
     * network, which the corpus captures (TAI + ECGI only) do not have.
     */
    public static byte[] withFullUli(final byte[] message) {
        final boolean teid = (message[0] & 0x08) != 0;
        final int body = teid ? 12 : 8;
        final int end = 4 + (((message[2] & 0xFF) << 8) | (message[3] & 0xFF));
        int at = body;
        while (at + Gtpv2Ie.HEADER_LENGTH <= end) {
            final int type = message[at] & 0xFF;
            final int length = ((message[at + 1] & 0xFF) << 8) | (message[at + 2] & 0xFF);
            if (type == Gtpv2Ie.ULI) {
                final byte[] plmn = {message[at + 5], message[at + 6], message[at + 7]};
                final byte[] uli = fullUli(plmn);
                final byte[] out = new byte[message.length - length + uli.length];
                System.arraycopy(message, 0, out, 0, at + 4);
                out[at + 1] = (byte) (uli.length >>> 8);
                out[at + 2] = (byte) uli.length;
                System.arraycopy(uli, 0, out, at + 4, uli.length);
                final int rest = at + 4 + length;
                System.arraycopy(message, rest, out, at + 4 + uli.length, message.length - rest);
                final int newLength = end - 4 - length + uli.length;
                out[2] = (byte) (newLength >>> 8);
                out[3] = (byte) newLength;
                return out;
            }
            at += Gtpv2Ie.HEADER_LENGTH + length;
        }
        throw new IllegalArgumentException("no ULI IE in the message");
    }

    /** ULI value, TS 29.274 8.21: flags, then CGI 7, SAI 7, RAI 7, TAI 5, ECGI 7, LAI 5 octets. */
    private static byte[] fullUli(final byte[] plmn) {
        final java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(0x3F);                                   // CGI, SAI, RAI, TAI, ECGI, LAI present
        b.writeBytes(plmn); b.write(0x12); b.write(0x34); b.write(0x56); b.write(0x78);   // CGI: LAC 0x1234, CI 0x5678
        b.writeBytes(plmn); b.write(0x12); b.write(0x34); b.write(0x00); b.write(0x42);   // SAI: LAC, SAC 0x0042
        b.writeBytes(plmn); b.write(0x12); b.write(0x34); b.write(0x07); b.write(0xFF);   // RAI: LAC, RAC 7, spare
        b.writeBytes(plmn); b.write(0x2A); b.write(0x3B);                                 // TAI: TAC 0x2A3B
        b.writeBytes(plmn); b.write(0x01); b.write(0xA2); b.write(0xB3); b.write(0xC4);   // ECGI: spare, ECI 0x1A2B3C4
        b.writeBytes(plmn); b.write(0x12); b.write(0x34);                                 // LAI: LAC 0x1234
        return b.toByteArray();
    }

    private static final class Grab implements PayloadDecoder {
        private final int type;
        byte[] payload;
        PacketInfo packet;

        Grab(final int type) {
            this.type = type;
        }

        @Override
        public void decode(final PacketInfo p, final ByteBuf b, final int off, final int len, final MessageSink s) {
            if (payload == null && len > 4 && (b.getByte(off) & 0xE0) == 0x40 && (b.getByte(off + 1) & 0xFF) == type) {
                payload = new byte[len];
                b.getBytes(off, payload);
                packet = new PacketInfo().copyFrom(p);
            }
        }
    }
}
