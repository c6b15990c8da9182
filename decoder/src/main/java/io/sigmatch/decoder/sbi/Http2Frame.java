package io.sigmatch.decoder.sbi;

import io.netty.buffer.ByteBuf;

/**
 * The HTTP/2 frame layout (RFC 9113 4.1) and the connection preface (3.4).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-----------------------------------------------+---------------+
 *  |                 Length (24)                   |   Type (8)    |
 *  +---------------+-------------------------------+---------------+
 *  |   Flags (8)   |R|          Stream Identifier (31)             |
 *  +---------------+-----------------------------------------------+
 *  |                   Frame Payload (Length octets) ...
 * </pre>
 */
public final class Http2Frame {
    public static final int LENGTH_OFFSET = 0;
    public static final int TYPE_OFFSET = 3;
    public static final int FLAGS_OFFSET = 4;
    public static final int STREAM_ID_OFFSET = 5;
    public static final int HEADER_LENGTH = 9;
    /** RFC 9113 4.2: the 24-bit Length field. */
    public static final int MAX_LENGTH = (1 << 24) - 1;
    /** RFC 9113 6.5.2: SETTINGS_MAX_FRAME_SIZE initial value, also its smallest allowed value. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 1 << 14;
    /** RFC 7541 / RFC 9113 6.5.2: SETTINGS_HEADER_TABLE_SIZE initial value. */
    public static final int DEFAULT_HEADER_TABLE_SIZE = 4096;

    // RFC 9113 6: frame types
    public static final int DATA = 0x0;
    public static final int HEADERS = 0x1;
    public static final int PRIORITY = 0x2;
    public static final int RST_STREAM = 0x3;
    public static final int SETTINGS = 0x4;
    public static final int PUSH_PROMISE = 0x5;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    public static final int WINDOW_UPDATE = 0x8;
    public static final int CONTINUATION = 0x9;

    // RFC 9113 6.1, 6.2: flags
    public static final int FLAG_END_STREAM = 0x1;
    public static final int FLAG_ACK = 0x1;
    public static final int FLAG_END_HEADERS = 0x4;
    public static final int FLAG_PADDED = 0x8;
    public static final int FLAG_PRIORITY = 0x20;

    // RFC 9113 6.5.2: settings identifiers (each setting is 6 octets: 16-bit id, 32-bit value)
    public static final int SETTING_LENGTH = 6;
    public static final int SETTINGS_HEADER_TABLE_SIZE = 0x1;
    public static final int SETTINGS_MAX_FRAME_SIZE = 0x5;
    public static final int SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

    /** RFC 9113 3.4: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 24 octets. */
    public static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    public static final int PREFACE_LENGTH = 24;

    private Http2Frame() {
    }

    public static int length(final ByteBuf b, final int frame) {
        return b.getUnsignedMedium(frame + LENGTH_OFFSET);
    }

    public static int type(final ByteBuf b, final int frame) {
        return b.getUnsignedByte(frame + TYPE_OFFSET);
    }

    public static int flags(final ByteBuf b, final int frame) {
        return b.getUnsignedByte(frame + FLAGS_OFFSET);
    }

    /** The 31-bit stream identifier; the reserved bit is ignored on receipt (RFC 9113 4.1). */
    public static int streamId(final ByteBuf b, final int frame) {
        return b.getInt(frame + STREAM_ID_OFFSET) & 0x7FFF_FFFF;
    }

    /** How many of the available bytes (up to 24) match the preface; 24 when it is all there. */
    public static int prefaceMatch(final ByteBuf b, final int offset, final int available) {
        final int n = Math.min(available, PREFACE_LENGTH);
        for (int i = 0; i < n; i++) {
            if (b.getByte(offset + i) != PREFACE[i]) {
                return -1;
            }
        }
        return n;
    }

    /**
     * A frame header the decoder would resynchronise at: a defined type whose length and stream id
     * are legal for it (RFC 9113 6.x: SETTINGS a multiple of 6 on stream 0, PING 8, WINDOW_UPDATE and
     * RST_STREAM 4, PRIORITY 5, GOAWAY at least 8 on stream 0; DATA, HEADERS, CONTINUATION, RST_STREAM
     * and PRIORITY on a stream), no undefined flag bits, and a length within {@code maxLength}.
     */
    public static boolean plausible(final ByteBuf b, final int frame, final int maxLength) {
        final int length = length(b, frame);
        final int type = type(b, frame);
        final int flags = flags(b, frame);
        final int stream = streamId(b, frame);
        if (length > maxLength || (b.getByte(frame + STREAM_ID_OFFSET) & 0x80) != 0) {
            return false;
        }
        switch (type) {
            case DATA:
                return stream != 0 && (flags & ~(FLAG_END_STREAM | FLAG_PADDED)) == 0;
            case HEADERS:
                return stream != 0 && length > 0
                    && (flags & ~(FLAG_END_STREAM | FLAG_END_HEADERS | FLAG_PADDED | FLAG_PRIORITY)) == 0;
            case PRIORITY:
                return stream != 0 && length == 5 && flags == 0;
            case RST_STREAM:
                return stream != 0 && length == 4 && flags == 0;
            case SETTINGS:
                return stream == 0 && length % SETTING_LENGTH == 0 && (flags & ~FLAG_ACK) == 0
                    && ((flags & FLAG_ACK) == 0 || length == 0);
            case PING:
                return stream == 0 && length == 8 && (flags & ~FLAG_ACK) == 0;
            case GOAWAY:
                return stream == 0 && length >= 8 && flags == 0;
            case WINDOW_UPDATE:
                return length == 4 && flags == 0;
            case CONTINUATION:
                return stream != 0 && (flags & ~FLAG_END_HEADERS) == 0;
            default:
                return false;
        }
    }
}
