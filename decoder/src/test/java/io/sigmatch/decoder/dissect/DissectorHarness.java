package io.sigmatch.decoder.dissect;

import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.testing.RecordingDecoder;

/**
 * A Dissector wired to a recording decoder that claims every UDP payload, fed one hand-built frame
 * at a time. Each frame's bytes are placed at a non-zero offset behind filler bytes, so a layer
 * that forgot its offset reads the filler and fails the test.
 */
final class DissectorHarness {
    static final long T0 = 1_700_000_000_000_000_000L;
    private static final int FILLER = 13;

    final Counters counters = new Counters();
    final RecordingDecoder decoder = new RecordingDecoder();
    final ProtocolDispatch dispatch = new ProtocolDispatch();
    final Dissector dissector;
    private final Frame frame = new Frame();
    private long number;

    DissectorHarness() {
        this(new DissectorConfig());
    }

    DissectorHarness(final DissectorConfig config) {
        dispatch.contentSniffer((p, b, off, len) -> decoder);
        dispatch.register(decoder);
        dissector = new Dissector(counters, dispatch, m -> { }, config);
    }

    /** Dissects bytes as the next frame, 1 ms after the previous one. */
    DissectorHarness frame(final int linkType, final byte[] bytes) {
        return frameAt(T0 + number * 1_000_000L, linkType, bytes);
    }

    DissectorHarness frameAt(final long timeNs, final int linkType, final byte[] bytes) {
        final byte[] padded = new byte[FILLER + bytes.length + FILLER];
        java.util.Arrays.fill(padded, (byte) 0xEE);
        System.arraycopy(bytes, 0, padded, FILLER, bytes.length);
        frame.number = ++number;
        frame.timeNs = timeNs;
        frame.interfaceId = 0;
        frame.linkType = linkType;
        frame.buffer = Unpooled.wrappedBuffer(padded);
        frame.offset = FILLER;
        frame.capturedLength = bytes.length;
        frame.originalLength = bytes.length;
        dissector.onFrame(frame);
        return this;
    }

    long count(final String label) {
        return counters.get(label);
    }

    /** Sum of every dissect.*error* counter: zero for well-formed input. */
    long errors() {
        final long[] total = {0};
        counters.forEach((label, value) -> {
            if (label.startsWith("dissect.") && label.contains("error")) {
                total[0] += value;
            }
        });
        return total[0];
    }
}
