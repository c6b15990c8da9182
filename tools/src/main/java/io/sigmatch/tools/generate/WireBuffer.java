package io.sigmatch.tools.generate;

import java.util.Arrays;

/**
 * A growable big-endian byte builder for the generator's encoders. Deliberately its own class: the
 * generator shares no code with the decoder (issue 7 item 4), so one encoding bug cannot hide itself
 * on both sides. Reused across messages ({@link #clear()}); grows, never shrinks.
 */
final class WireBuffer {
    private byte[] bytes;
    private int length;

    WireBuffer(final int capacity) {
        bytes = new byte[capacity];
    }

    void clear() {
        length = 0;
    }

    int length() {
        return length;
    }

    byte[] array() {
        return bytes;
    }

    byte[] toArray() {
        return Arrays.copyOf(bytes, length);
    }

    private void ensure(final int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    WireBuffer u8(final int v) {
        ensure(1);
        bytes[length++] = (byte) v;
        return this;
    }

    WireBuffer u16(final int v) {
        ensure(2);
        bytes[length++] = (byte) (v >>> 8);
        bytes[length++] = (byte) v;
        return this;
    }

    WireBuffer u24(final int v) {
        ensure(3);
        bytes[length++] = (byte) (v >>> 16);
        bytes[length++] = (byte) (v >>> 8);
        bytes[length++] = (byte) v;
        return this;
    }

    WireBuffer u32(final long v) {
        ensure(4);
        bytes[length++] = (byte) (v >>> 24);
        bytes[length++] = (byte) (v >>> 16);
        bytes[length++] = (byte) (v >>> 8);
        bytes[length++] = (byte) v;
        return this;
    }

    WireBuffer u64(final long v) {
        u32(v >>> 32);
        return u32(v & 0xFFFFFFFFL);
    }

    /** Little-endian 16 and 32 bits, for capture file headers written in the writer's byte order. */
    WireBuffer le16(final int v) {
        ensure(2);
        bytes[length++] = (byte) v;
        bytes[length++] = (byte) (v >>> 8);
        return this;
    }

    WireBuffer le32(final long v) {
        ensure(4);
        bytes[length++] = (byte) v;
        bytes[length++] = (byte) (v >>> 8);
        bytes[length++] = (byte) (v >>> 16);
        bytes[length++] = (byte) (v >>> 24);
        return this;
    }

    WireBuffer bytes(final byte[] src, final int from, final int count) {
        ensure(count);
        System.arraycopy(src, from, bytes, length, count);
        length += count;
        return this;
    }

    WireBuffer bytes(final byte[] src) {
        return bytes(src, 0, src.length);
    }

    WireBuffer ascii(final String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    WireBuffer zeros(final int count) {
        ensure(count);
        Arrays.fill(bytes, length, length + count, (byte) 0);
        length += count;
        return this;
    }

    void set8(final int at, final int v) {
        bytes[at] = (byte) v;
    }

    void set16(final int at, final int v) {
        bytes[at] = (byte) (v >>> 8);
        bytes[at + 1] = (byte) v;
    }

    void set32(final int at, final long v) {
        bytes[at] = (byte) (v >>> 24);
        bytes[at + 1] = (byte) (v >>> 16);
        bytes[at + 2] = (byte) (v >>> 8);
        bytes[at + 3] = (byte) v;
    }

    /**
     * TBCD (TS 29.274 8.3, TS 24.008 10.5.1.4): two digits per octet, the first in the low nibble,
     * an odd count filled with F in the last high nibble.
     */
    WireBuffer tbcd(final CharSequence digits) {
        final int n = digits.length();
        for (int i = 0; i < n; i += 2) {
            final int lo = digits.charAt(i) - '0';
            final int hi = i + 1 < n ? digits.charAt(i + 1) - '0' : 0xF;
            u8(hi << 4 | lo);
        }
        return this;
    }

    static int tbcdLength(final CharSequence digits) {
        return (digits.length() + 1) / 2;
    }

    /**
     * A PLMN as MCC+MNC in the three octets of TS 24.008 10.5.1.13 (used by GTPv2 8.18, 8.21 and
     * Diameter's Visited-PLMN-Id): MCC2 MCC1 | MNC3 MCC3 | MNC2 MNC1, MNC3 = F for a 2-digit MNC.
     */
    WireBuffer plmn(final String plmn) {
        final int mcc1 = plmn.charAt(0) - '0';
        final int mcc2 = plmn.charAt(1) - '0';
        final int mcc3 = plmn.charAt(2) - '0';
        final int mnc1 = plmn.charAt(3) - '0';
        final int mnc2 = plmn.charAt(4) - '0';
        final int mnc3 = plmn.length() == 6 ? plmn.charAt(5) - '0' : 0xF;
        u8(mcc2 << 4 | mcc1);
        u8(mnc3 << 4 | mcc3);
        return u8(mnc2 << 4 | mnc1);
    }
}
