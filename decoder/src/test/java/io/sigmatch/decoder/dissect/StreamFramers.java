package io.sigmatch.decoder.dissect;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.StreamDecoder;

/**
 * Test-only minimal framers implementing the {@link StreamDecoder} contract the way the real
 * Diameter and SIP decoders will: Diameter by version 1 and the 24-bit length (RFC 6733 3), SIP by
 * the end of the headers and Content-Length (RFC 3261 18.3). Each records what it was handed.
 */
final class StreamFramers {
    private StreamFramers() {
    }

    /** Records "frame\tsrcPort\tdstPort\tlength\tlabel" per message; the label comes from the subclass. */
    abstract static class Recording implements StreamDecoder {
        final List<String> lines = new ArrayList<>();
        final List<byte[]> bodies = new ArrayList<>();

        @Override
        public void decode(final PacketInfo p, final ByteBuf b, final int off, final int len, final MessageSink s) {
            final byte[] bytes = new byte[len];
            b.getBytes(off, bytes);
            bodies.add(bytes);
            lines.add(p.frame + "\t" + p.srcPort + "\t" + p.dstPort + "\t" + len + "\t" + label(bytes));
        }

        abstract String label(byte[] message);
    }

    /** Diameter: version 1, a 24-bit length of at least 20 and a multiple of 4, reserved flags 0. */
    static final class Diameter extends Recording {
        static final int MAX = 1 << 20;

        @Override
        public int messageLength(final ByteBuf b, final int off, final int available) {
            if (available < 4) {
                return NEED_MORE;
            }
            if (b.getUnsignedByte(off) != 1) {
                return NOT_A_MESSAGE;
            }
            final int length = b.getUnsignedMedium(off + 1);
            if (length < 20 || (length & 3) != 0 || length > MAX) {
                return NOT_A_MESSAGE;
            }
            return length;
        }

        @Override
        public int findMessageStart(final ByteBuf b, final int off, final int available) {
            for (int i = 0; i + 20 <= available; i++) {
                final int length = b.getUnsignedMedium(off + i + 1);
                if (b.getUnsignedByte(off + i) == 1 && length >= 20 && (length & 3) == 0 && length <= MAX
                    && (b.getUnsignedByte(off + i + 4) & 0x0F) == 0 && b.getUnsignedByte(off + i + 5) == 0) {
                    return i; // command codes are below 2^16 in practice: the first code byte is 0
                }
            }
            return -1;
        }

        @Override
        String label(final byte[] m) {
            return Integer.toString((m[5] & 0xFF) << 16 | (m[6] & 0xFF) << 8 | (m[7] & 0xFF));
        }
    }

    /** SIP: the start line names a method or is a status line; headers end at CRLF CRLF. */
    static final class Sip extends Recording {
        static final int MAX_HEADERS = 16_384;

        @Override
        public int messageLength(final ByteBuf b, final int off, final int available) {
            if (!startsMessage(b, off, available)) {
                return available < 8 ? NEED_MORE : NOT_A_MESSAGE;
            }
            int end = -1;
            for (int i = 0; i + 4 <= available; i++) {
                if (b.getByte(off + i) == '\r' && b.getByte(off + i + 1) == '\n' && b.getByte(off + i + 2) == '\r'
                    && b.getByte(off + i + 3) == '\n') {
                    end = i + 4;
                    break;
                }
            }
            if (end < 0) {
                return available > MAX_HEADERS ? NOT_A_MESSAGE : NEED_MORE;
            }
            final int contentLength = contentLength(b, off, end);
            return contentLength < 0 ? NOT_A_MESSAGE : end + contentLength;
        }

        @Override
        public int findMessageStart(final ByteBuf b, final int off, final int available) {
            for (int i = 0; i < available; i++) {
                if ((i == 0 || b.getByte(off + i - 1) == '\n') && startsMessage(b, off + i, available - i)) {
                    return i;
                }
            }
            return -1;
        }

        private static boolean startsMessage(final ByteBuf b, final int off, final int available) {
            for (final String s : new String[] {"SIP/2.0 ", "INVITE ", "ACK ", "BYE ", "CANCEL ", "OPTIONS ",
                "REGISTER ", "PRACK ", "SUBSCRIBE ", "NOTIFY ", "PUBLISH ", "INFO ", "REFER ", "MESSAGE ", "UPDATE "}) {
                if (available >= s.length() && matches(b, off, s)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean matches(final ByteBuf b, final int off, final String s) {
            for (int i = 0; i < s.length(); i++) {
                if (b.getByte(off + i) != s.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** Content-Length or its compact form "l" (RFC 3261 20.14); absent means 0 here. */
        private static int contentLength(final ByteBuf b, final int off, final int end) {
            final byte[] h = new byte[end];
            b.getBytes(off, h);
            final String text = new String(h, java.nio.charset.StandardCharsets.ISO_8859_1);
            for (final String line : text.split("\r\n")) {
                final int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                final String name = line.substring(0, colon).trim();
                if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("l")) {
                    try {
                        return Integer.parseInt(line.substring(colon + 1).trim());
                    } catch (final NumberFormatException e) {
                        return -1;
                    }
                }
            }
            return 0;
        }

        @Override
        String label(final byte[] m) {
            final String text = new String(m, 0, Math.min(m.length, 40), java.nio.charset.StandardCharsets.ISO_8859_1);
            return text.startsWith("SIP/2.0 ") ? text.substring(8, 11) : text.substring(0, text.indexOf(' '));
        }
    }
}
