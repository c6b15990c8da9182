package io.sigmatch.decoder.capture.live;

import java.util.Arrays;

/**
 * A classic BPF program (linux/filter.h {@code struct sock_filter}) for SO_ATTACH_FILTER, given in
 * the decimal form {@code tcpdump -ddd} prints and iptables' {@code -m bpf --bytecode} takes: the
 * instruction count, then one {@code code jt jf k} quadruple per instruction, separated by commas
 * or newlines. Example (accept IPv4 UDP, drop the rest):
 * {@code 6,40 0 0 12,21 0 3 2048,48 0 0 23,21 0 1 17,6 0 0 262144,6 0 0 0}.
 *
 * <p>There is no libpcap at run time, so no filter expressions are compiled here: compile them
 * once with {@code tcpdump -ddd -y EN10MB 'expression'} where tcpdump is installed, and pass the
 * numbers. The kernel verifies the program again when it is attached (sk_chk_filter).
 */
public final class BpfProgram {
    /** BPF_MAXINSNS, linux/bpf_common.h. */
    public static final int MAX_INSTRUCTIONS = 4096;
    private static final int BPF_RET = 0x06;

    private final short[] code;
    private final byte[] jt;
    private final byte[] jf;
    private final int[] k;
    private final String source;

    private BpfProgram(final short[] code, final byte[] jt, final byte[] jf, final int[] k, final String source) {
        this.code = code;
        this.jt = jt;
        this.jf = jf;
        this.k = k;
        this.source = source;
    }

    /** Parses the {@code tcpdump -ddd} form; throws IllegalArgumentException saying what is wrong. */
    public static BpfProgram parse(final String text) {
        final String[] parts = text.trim().split("\\s*[,\\n;]\\s*");
        if (parts.length == 0 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("empty BPF program");
        }
        final int n = number(parts[0], "instruction count");
        if (n < 1 || n > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("BPF instruction count must be 1.." + MAX_INSTRUCTIONS + ": " + n);
        }
        if (parts.length - 1 != n) {
            throw new IllegalArgumentException("BPF program says " + n + " instructions but has " + (parts.length - 1));
        }
        final short[] code = new short[n];
        final byte[] jt = new byte[n];
        final byte[] jf = new byte[n];
        final int[] k = new int[n];
        for (int i = 0; i < n; i++) {
            final String[] f = parts[i + 1].trim().split("\\s+");
            if (f.length != 4) {
                throw new IllegalArgumentException("BPF instruction " + i + " needs 4 numbers (code jt jf k): " + parts[i + 1]);
            }
            final int c = number(f[0], "code");
            final int t = number(f[1], "jt");
            final int fl = number(f[2], "jf");
            final long kv = Long.parseLong(f[3]);
            if (c < 0 || c > 0xFFFF || t < 0 || t > 0xFF || fl < 0 || fl > 0xFF || kv < Integer.MIN_VALUE || kv > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("BPF instruction " + i + " out of range: " + parts[i + 1]);
            }
            code[i] = (short) c;
            jt[i] = (byte) t;
            jf[i] = (byte) fl;
            k[i] = (int) kv;
        }
        if ((code[n - 1] & 0x07) != BPF_RET) {
            throw new IllegalArgumentException("BPF program must end with a ret instruction");
        }
        return new BpfProgram(code, jt, jf, k, text.trim());
    }

    private static int number(final String s, final String what) {
        try {
            return Integer.parseInt(s.trim());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("BPF " + what + " is not a number: " + s);
        }
    }

    public int length() {
        return code.length;
    }

    /** The instructions as the kernel reads them: 8 bytes each, little-endian fields on x86-64/aarch64. */
    byte[] toBytes() {
        final byte[] out = new byte[code.length * 8];
        for (int i = 0; i < code.length; i++) {
            final int o = i * 8;
            out[o] = (byte) code[i];
            out[o + 1] = (byte) (code[i] >>> 8);
            out[o + 2] = jt[i];
            out[o + 3] = jf[i];
            out[o + 4] = (byte) k[i];
            out[o + 5] = (byte) (k[i] >>> 8);
            out[o + 6] = (byte) (k[i] >>> 16);
            out[o + 7] = (byte) (k[i] >>> 24);
        }
        return out;
    }

    @Override
    public String toString() {
        return source;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof BpfProgram b && Arrays.equals(code, b.code) && Arrays.equals(jt, b.jt)
            && Arrays.equals(jf, b.jf) && Arrays.equals(k, b.k);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(k) * 31 + Arrays.hashCode(code);
    }
}
