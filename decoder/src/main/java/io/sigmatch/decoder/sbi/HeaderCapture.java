package io.sigmatch.decoder.sbi;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/**
 * Where Netty's HPACK decoder puts the fields of one header block: instead of storing every field
 * (a {@link DefaultHttp2Headers} entry per field), it copies the bytes of the four the decoder reads
 * — {@code :method}, {@code :path}, {@code :status}, {@code content-type} — into fixed arrays and
 * drops the rest. Netty's {@code HpackDecoder} adds fields through {@link #add(CharSequence, CharSequence)}
 * and asks {@link #size()}; nothing else of the headers interface is used on this path.
 *
 * <p>Reused for every block on the decoder's thread ({@link #clear()} before each).
 */
final class HeaderCapture extends DefaultHttp2Headers {
    static final int METHOD_CAPACITY = 16;
    static final int STATUS_CAPACITY = 3;
    static final int CONTENT_TYPE_CAPACITY = 256;

    private static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");

    final byte[] method = new byte[METHOD_CAPACITY];
    int methodLength;
    final byte[] path;
    int pathLength;
    /** True when :path was longer than the capacity: the kept bytes are a prefix. */
    boolean pathTruncated;
    int status;
    final byte[] contentType = new byte[CONTENT_TYPE_CAPACITY];
    int contentTypeLength;
    int fields;

    HeaderCapture(final int maxPathBytes) {
        super(false);
        path = new byte[maxPathBytes];
    }

    @Override
    public Http2Headers clear() {
        methodLength = 0;
        pathLength = 0;
        pathTruncated = false;
        status = -1;
        contentTypeLength = 0;
        fields = 0;
        return this;
    }

    @Override
    public int size() {
        return fields;
    }

    @Override
    public Http2Headers add(final CharSequence name, final CharSequence value) {
        fields++;
        if (name.length() > 0 && name.charAt(0) == ':') {
            if (PseudoHeaderName.METHOD.value().contentEquals(name)) {
                methodLength = copy(value, method);
            } else if (PseudoHeaderName.PATH.value().contentEquals(name)) {
                pathLength = copy(value, path);
                pathTruncated = value.length() > path.length;
            } else if (PseudoHeaderName.STATUS.value().contentEquals(name)) {
                status = parseStatus(value);
            }
        } else if (CONTENT_TYPE.contentEqualsIgnoreCase(name)) {
            contentTypeLength = copy(value, contentType);
        }
        return this;
    }

    /** RFC 9110 15: a three-digit status code; anything else is -1. */
    private static int parseStatus(final CharSequence v) {
        if (v.length() != 3) {
            return -1;
        }
        int s = 0;
        for (int i = 0; i < 3; i++) {
            final int d = v.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            s = s * 10 + d;
        }
        return s;
    }

    private static int copy(final CharSequence value, final byte[] into) {
        final int n = Math.min(value.length(), into.length);
        if (value instanceof AsciiString) {
            final AsciiString a = (AsciiString) value;
            System.arraycopy(a.array(), a.arrayOffset(), into, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                into[i] = (byte) value.charAt(i);
            }
        }
        return n;
    }
}
