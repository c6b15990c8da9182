package io.sigmatch.decoder.testing;

/** Hex text to bytes and back, for test data. */
public final class Hex {
    private Hex() {
    }

    public static byte[] parse(final String hex) {
        final String s = hex.replaceAll("[\\s:]", "");
        if ((s.length() & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + hex);
        }
        final byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    public static String of(final byte[] b, final int off, final int len) {
        final StringBuilder sb = new StringBuilder(len * 2);
        for (int i = off; i < off + len; i++) {
            sb.append(Character.forDigit(b[i] >> 4 & 0xF, 16)).append(Character.forDigit(b[i] & 0xF, 16));
        }
        return sb.toString();
    }
}
