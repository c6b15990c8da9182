package io.sigmatch.decoder.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.capture.LinkType;
import io.sigmatch.decoder.dissect.DissectorConfig;

/**
 * The whole decoding stage with small reassembly limits (so the fuzzer reaches every eviction and
 * budget path), fed frames that a fuzz target builds from its input. After every frame the memory
 * each reassembler holds must be within its configured budget; after {@code finish()} none may be
 * left; no internal-error or decoder-exception counter may move. One instance per target class
 * (Jazzer runs a target on one thread); capture time moves on by an hour between inputs.
 */
final class ReassemblyHarness {
    static final int TCP_BUDGET = 64 * 1024;
    static final int TCP_FLOWS = 4;
    static final int SCTP_BUDGET = 64 * 1024;
    static final int SCTP_FRAGMENTS = 64;
    static final int IP_DATAGRAMS = 8;
    static final int IP_BUDGET = 128 * 1024;

    final Counters counters = new Counters();
    final FuzzSink sink = new FuzzSink();
    final DissectorConfig config = new DissectorConfig()
        .reassemblyMaxDatagrams(IP_DATAGRAMS)
        .reassemblyBudgetBytes(IP_BUDGET)
        .tcpMaxFlows(TCP_FLOWS)
        .tcpBufferBudgetBytes(TCP_BUDGET)
        .tcpMaxMessageBytes(16 * 1024)
        .tcpMaxHeldSegmentsPerDirection(8)
        .tcpMaxHeldSegments(32)
        .sctpMaxAssociations(8)
        .sctpMaxFragments(SCTP_FRAGMENTS)
        .sctpReassemblyBudgetBytes(SCTP_BUDGET)
        .sctpMaxMessageBytes(16 * 1024);
    final SignalingDecoder decoder = new SignalingDecoder(counters, new DecoderConfig().dissector(config), sink);
    private final Frame frame = new Frame();
    private long timeNs = 1_700_000_000_000_000_000L;
    private long number;

    /** Dissects one raw-IP packet after delayNs of capture time. */
    void packet(final byte[] ip, final long delayNs) {
        timeNs += delayNs;
        // behind filler bytes, so a layer that forgot its offset reads filler
        final byte[] padded = new byte[7 + ip.length];
        Arrays.fill(padded, 0, 7, (byte) 0xEE);
        System.arraycopy(ip, 0, padded, 7, ip.length);
        frame.number = ++number;
        frame.timeNs = timeNs;
        frame.interfaceId = 0;
        frame.linkType = LinkType.RAW;
        frame.buffer = Unpooled.wrappedBuffer(padded);
        frame.offset = 7;
        frame.capturedLength = ip.length;
        frame.originalLength = ip.length;
        final long internal = internalErrors();
        decoder.dissector().onFrame(frame);
        if (internalErrors() != internal) {
            throw new AssertionError("internal error or decoder exception counted at frame " + number);
        }
        if (decoder.tcp().heldChunkBytes() > TCP_BUDGET || decoder.tcp().activeFlows() > TCP_FLOWS) {
            throw new AssertionError("TCP over its limits: " + decoder.tcp().heldChunkBytes() + " bytes, "
                + decoder.tcp().activeFlows() + " flows");
        }
        if (decoder.sctp().heldChunkBytes() > SCTP_BUDGET || decoder.sctp().pendingFragments() > SCTP_FRAGMENTS) {
            throw new AssertionError("SCTP over its limits: " + decoder.sctp().heldChunkBytes() + " bytes, "
                + decoder.sctp().pendingFragments() + " fragments");
        }
        if (decoder.dissector().pendingFragmentedDatagrams() > IP_DATAGRAMS) {
            throw new AssertionError("IP reassembly over its limit: " + decoder.dissector().pendingFragmentedDatagrams());
        }
    }

    /** End of one input: everything held is released and counted. */
    void finish() {
        final long internal = internalErrors();
        decoder.finish();
        if (internalErrors() != internal) {
            throw new AssertionError("internal error or decoder exception counted at finish");
        }
        if (decoder.tcp().activeFlows() != 0 || decoder.tcp().heldChunkBytes() != 0
            || decoder.sctp().heldChunkBytes() != 0 || decoder.sctp().pendingFragments() != 0
            || decoder.dissector().pendingFragmentedDatagrams() != 0) {
            throw new AssertionError("reassembly state left after finish()");
        }
        timeNs += 3_600_000_000_000L;
    }

    private long internalErrors() {
        return counters.get("dissect.error.internal") + counters.get("dissect.error.decoder_exception");
    }

    /** Reads the fuzz input as a script: bytes run out as zeros, so every input is a valid script. */
    static final class Script {
        private final byte[] in;
        private int at;

        Script(final byte[] in) {
            this.in = in;
        }

        boolean more() {
            return at < in.length;
        }

        int u8() {
            return at < in.length ? in[at++] & 0xFF : 0;
        }

        int u16() {
            return u8() << 8 | u8();
        }

        byte[] take(final int n) {
            final int k = Math.max(0, Math.min(n, in.length - at));
            final byte[] b = Arrays.copyOfRange(in, at, at + k);
            at += k;
            return b;
        }
    }

    /** Writes scripts for the seeds. */
    static final class ScriptWriter {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        ScriptWriter u8(final int v) {
            out.write(v);
            return this;
        }

        ScriptWriter u16(final int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        ScriptWriter bytes(final byte[] b) {
            out.writeBytes(b);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    /** Real signaling messages to carry: the Diameter and GTPv2 fuzz seeds (from the corpus). */
    static List<byte[]> messages(final String target) {
        final List<byte[]> out = new ArrayList<>();
        final Path dir;
        try {
            dir = Path.of(ReassemblyHarness.class.getResource(target + "FuzzTestInputs/decode").toURI());
        } catch (final java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (var files = Files.list(dir)) {
            for (final Path f : (Iterable<Path>) files.sorted()::iterator) {
                out.add(Files.readAllBytes(f));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
