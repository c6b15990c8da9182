package io.sigmatch.decoder.testing;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;

/** A decoder that records what the dissector hands it: one line per payload, plus time calls. */
public final class RecordingDecoder implements PayloadDecoder {
    /** One delivered payload. */
    public record Payload(long frame, long timeNs, int sourceId, int ipVersion, long srcHi, long srcLo, long dstHi,
        long dstLo, int srcPort, int dstPort, byte[] bytes) {
        /** "frame\tsrcPort\tdstPort\tlength", the line the corpus fixtures hold. */
        public String line() {
            return frame + "\t" + srcPort + "\t" + dstPort + "\t" + bytes.length;
        }
    }

    public final List<Payload> payloads = new ArrayList<>();
    public final List<Long> advances = new ArrayList<>();
    public int flushes;

    @Override
    public void decode(final PacketInfo p, final ByteBuf buffer, final int offset, final int length, final MessageSink sink) {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        payloads.add(new Payload(p.frame, p.timeNs, p.sourceId, p.ipVersion, p.srcHi, p.srcLo, p.dstHi, p.dstLo,
            p.srcPort, p.dstPort, bytes));
    }

    @Override
    public void advanceTime(final long nowNs, final MessageSink sink) {
        advances.add(nowNs);
    }

    @Override
    public void flush(final MessageSink sink) {
        flushes++;
    }

    public List<String> lines() {
        final List<String> out = new ArrayList<>();
        for (final Payload p : payloads) {
            out.add(p.line());
        }
        return out;
    }
}
