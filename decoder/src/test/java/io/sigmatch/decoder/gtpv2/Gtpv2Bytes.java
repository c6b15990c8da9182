package io.sigmatch.decoder.gtpv2;

import java.io.ByteArrayOutputStream;

/**
 * Assembles GTPv2-C test messages. Only the length fields are computed here; every value byte is
 * written out, commented, at the call site (TS 29.274 sections cited there).
 */
final class Gtpv2Bytes {
    static final int NO_TEID = -1;

    private Gtpv2Bytes() {
    }

    static byte[] bytes(final int... values) {
        final byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] concat(final byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** TS 29.274 8.2.1: type, 16-bit length of the data, spare/instance octet, data. */
    static byte[] ie(final int type, final int instance, final byte[]... data) {
        final byte[] value = concat(data);
        return concat(bytes(type, value.length >> 8, value.length, instance & 0x0F), value);
    }

    /**
     * TS 29.274 5.1: flags (version 2 in the top three bits), type, length of everything after the
     * first four octets, TEID when {@code teid != NO_TEID} (the T flag is set here), sequence
     * number, spare (or the priority nibble when {@code flags} has MP).
     */
    static byte[] message(final int flags, final int type, final long teid, final int sequence, final byte[]... ies) {
        final byte[] body = concat(ies);
        final boolean withTeid = teid != NO_TEID;
        final int headerAfterMandatory = withTeid ? 8 : 4;
        final int length = headerAfterMandatory + body.length;
        final int f = 0x40 | (flags & 0x14) | (withTeid ? 0x08 : 0);
        final byte[] teidBytes = withTeid
            ? bytes((int) (teid >>> 24), (int) (teid >>> 16), (int) (teid >>> 8), (int) teid) : new byte[0];
        final int spare = (flags >>> 8) & 0xFF;
        return concat(bytes(f, type, length >> 8, length), teidBytes,
            bytes(sequence >> 16, sequence >> 8, sequence, spare), body);
    }

    /** Flag for {@link #message}: the P (piggyback) flag. */
    static final int P = 0x10;
    /** Flag for {@link #message}: the MP flag, with the priority nibble in bits 8..11 of the argument. */
    static int priority(final int priority) {
        return 0x04 | (priority << 12);
    }
}
