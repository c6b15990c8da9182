package io.sigmatch.decoder.sbi;

import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * Netty's HPACK decoder (RFC 7541; {@code io.netty.handler.codec.http2.HpackDecoder} behind
 * {@link DefaultHttp2HeadersDecoder}) for one direction of one connection: it owns that direction's
 * dynamic table. Header validation is off (a probe reads what was sent, it does not police it),
 * and every block lands in the thread's shared {@link HeaderCapture} instead of a new headers map.
 *
 * <p>Allocation, honestly: Netty's decoder makes a new {@code AsciiString} (and its byte array)
 * for every literal field it decodes and a new table entry for every field added to the dynamic
 * table; fields sent as an index into the static or dynamic table cost nothing. SBI peers send the
 * repeated fields indexed, but {@code :path} (which carries the SUPI) and the timestamps are
 * literals, so a request costs a few hundred bytes of short-lived garbage. A decoder is created per
 * connection direction (and again after the table is lost), not per message.
 */
final class HpackBlockDecoder extends DefaultHttp2HeadersDecoder {
    private final HeaderCapture capture;

    HpackBlockDecoder(final HeaderCapture capture, final long maxHeaderListBytes) {
        super(false, maxHeaderListBytes);
        this.capture = capture;
    }

    @Override
    protected Http2Headers newHeaders() {
        capture.clear();
        return capture;
    }
}
