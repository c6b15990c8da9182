package io.sigmatch.decoder.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;

/**
 * Builds test input byte by byte, so each field can carry its own comment at the call site.
 * Multi-byte values go out in the writer's byte order (network order unless told otherwise).
 */
public final class ByteWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteOrder order;

    public ByteWriter() {
        this(ByteOrder.BIG_ENDIAN);
    }

    public ByteWriter(final ByteOrder order) {
        this.order = order;
    }

    public ByteWriter u8(final int v) {
        out.write(v & 0xFF);
        return this;
    }

    public ByteWriter u16(final int v) {
        return order == ByteOrder.BIG_ENDIAN ? u8(v >>> 8).u8(v) : u8(v).u8(v >>> 8);
    }

    public ByteWriter u32(final long v) {
        return order == ByteOrder.BIG_ENDIAN ? u16((int) (v >>> 16)).u16((int) v) : u16((int) v).u16((int) (v >>> 16));
    }

    public ByteWriter u64(final long v) {
        return order == ByteOrder.BIG_ENDIAN ? u32(v >>> 32).u32(v) : u32(v).u32(v >>> 32);
    }

    public ByteWriter bytes(final byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    /** Hex digits, spaces ignored: {@code hex("00 1b 21")}. */
    public ByteWriter hex(final String hex) {
        return bytes(Hex.parse(hex));
    }

    public ByteWriter zeros(final int n) {
        for (int i = 0; i < n; i++) {
            out.write(0);
        }
        return this;
    }

    /** Zero bytes up to the next multiple of 4 (pcapng padding). */
    public ByteWriter pad4() {
        while ((out.size() & 3) != 0) {
            out.write(0);
        }
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
