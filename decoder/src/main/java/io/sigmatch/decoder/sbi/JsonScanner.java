package io.sigmatch.decoder.sbi;

import io.netty.buffer.ByteBuf;

/**
 * A streaming scan over JSON bytes (RFC 8259) that builds no tree: it walks the text once and
 * reports each scalar value with a hash of its key path, so the caller picks the few values it
 * wants by comparing one {@code long} (e.g. {@code ueLocation.nrLocation.ncgi.nrCellId}). Arrays do
 * not add to the path: {@code reportList[3].supi} is reported as {@code reportList.supi}, with the
 * element's position available as {@link #arrayIndex()}.
 *
 * <p>Keys are hashed over their raw bytes; a key written with escapes does not match its plain
 * spelling (SBI keys are plain ASCII, TS 29.501 5.3). String values are reported raw, between the
 * quotes. Nesting deeper than the limit, a text that ends early, and bytes that cannot be JSON each
 * stop the scan with their status; nothing is allocated after construction. One per thread.
 */
public final class JsonScanner {
    public static final int OK = 0;
    public static final int TRUNCATED = 1;
    public static final int TOO_DEEP = 2;
    public static final int BAD_SYNTAX = 3;

    public static final int STRING = 1;
    public static final int NUMBER = 2;
    public static final int TRUE = 3;
    public static final int FALSE = 4;
    public static final int NULL = 5;

    /** Receives each scalar value during {@link #scan}. */
    @FunctionalInterface
    public interface Visitor {
        void value(long path, int kind, ByteBuf buffer, int offset, int length);
    }

    /** Hash of the empty path (the top-level value). */
    public static final long ROOT = 0x6A09E667F3BCC909L;

    private static final byte OBJECT = 1;
    private static final byte ARRAY = 2;

    private final int maxDepth;
    private final byte[] containers;
    private final long[] paths;
    private final int[] indexes;
    private int depth;

    public JsonScanner(final int maxDepth) {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1: " + maxDepth);
        }
        this.maxDepth = maxDepth;
        containers = new byte[maxDepth + 1];
        paths = new long[maxDepth + 1];
        indexes = new int[maxDepth + 1];
    }

    /** The hash of a dotted key path, as {@link #scan} reports it: {@code path("ueLocation", "nrLocation")}. */
    public static long path(final String... keys) {
        long h = ROOT;
        for (final String k : keys) {
            long kh = FNV_OFFSET;
            for (int i = 0; i < k.length(); i++) {
                kh = (kh ^ (k.charAt(i) & 0xFF)) * FNV_PRIME;
            }
            h = child(h, kh);
        }
        return h;
    }

    /** Position of the innermost enclosing array's current element (0 when none). */
    public int arrayIndex() {
        for (int d = depth; d > 0; d--) {
            if (containers[d] == ARRAY) {
                return indexes[d];
            }
        }
        return 0;
    }

    private static final long FNV_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;

    private static long child(final long parent, final long keyHash) {
        long h = (parent ^ keyHash) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    /** Scans {@code [offset, offset + length)}; returns {@link #OK} or why it stopped. */
    public int scan(final ByteBuf b, final int offset, final int length, final Visitor visitor) {
        final int end = offset + length;
        int pos = skipWs(b, offset, end);
        depth = 0;
        paths[0] = ROOT;
        long valuePath = ROOT;
        boolean expectValue = true;
        while (true) {
            if (pos >= end) {
                return depth == 0 && !expectValue ? OK : TRUNCATED;
            }
            if (expectValue) {
                final int c = b.getByte(pos);
                if (c == '{' || c == '[') {
                    if (depth >= maxDepth) {
                        return TOO_DEEP;
                    }
                    depth++;
                    containers[depth] = c == '{' ? OBJECT : ARRAY;
                    paths[depth] = valuePath;
                    indexes[depth] = 0;
                    pos = skipWs(b, pos + 1, end);
                    if (pos >= end) {
                        return TRUNCATED;
                    }
                    final int close = c == '{' ? '}' : ']';
                    if (b.getByte(pos) == close) {
                        depth--;
                        pos++;
                        expectValue = false;
                    } else if (c == '{') {
                        final int after = key(b, pos, end);
                        if (after < 0) {
                            return -after;
                        }
                        valuePath = keyPath;
                        pos = after;
                    } else {
                        valuePath = paths[depth];
                    }
                    continue;
                }
                final int after = scalar(b, pos, end, valuePath, visitor);
                if (after < 0) {
                    return -after;
                }
                pos = after;
                expectValue = false;
                continue;
            }
            pos = skipWs(b, pos, end);
            if (pos >= end) {
                continue;
            }
            if (depth == 0) {
                return OK; // bytes after the top-level value (a multipart delimiter) are not ours
            }
            final int c = b.getByte(pos);
            if (c == ',') {
                pos = skipWs(b, pos + 1, end);
                if (containers[depth] == OBJECT) {
                    final int after = key(b, pos, end);
                    if (after < 0) {
                        return -after;
                    }
                    valuePath = keyPath;
                    pos = after;
                } else {
                    indexes[depth]++;
                    valuePath = paths[depth];
                }
                expectValue = true;
            } else if (c == (containers[depth] == OBJECT ? '}' : ']')) {
                depth--;
                pos++;
            } else {
                return BAD_SYNTAX;
            }
        }
    }

    private long keyPath;

    /** Reads {@code "key" :} at pos; returns the position of the value, or a negated status. */
    private int key(final ByteBuf b, final int pos, final int end) {
        if (pos >= end) {
            return -TRUNCATED;
        }
        if (b.getByte(pos) != '"') {
            return -BAD_SYNTAX;
        }
        long kh = FNV_OFFSET;
        int p = pos + 1;
        while (true) {
            if (p >= end) {
                return -TRUNCATED;
            }
            final int c = b.getByte(p) & 0xFF;
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                return -BAD_SYNTAX;
            }
            if (c == '\\') {
                if (p + 1 >= end) {
                    return -TRUNCATED;
                }
                kh = (kh ^ c) * FNV_PRIME;
                p++;
            }
            kh = (kh ^ (b.getByte(p) & 0xFF)) * FNV_PRIME;
            p++;
        }
        keyPath = child(paths[depth], kh);
        p = skipWs(b, p + 1, end);
        if (p >= end) {
            return -TRUNCATED;
        }
        if (b.getByte(p) != ':') {
            return -BAD_SYNTAX;
        }
        return skipWs(b, p + 1, end);
    }

    /** Reads a string, number or literal at pos and reports it; returns the position after it. */
    private static int scalar(final ByteBuf b, final int pos, final int end, final long path, final Visitor visitor) {
        final int c = b.getByte(pos);
        if (c == '"') {
            int p = pos + 1;
            while (true) {
                if (p >= end) {
                    return -TRUNCATED;
                }
                final int ch = b.getByte(p) & 0xFF;
                if (ch == '"') {
                    break;
                }
                if (ch < 0x20) {
                    return -BAD_SYNTAX;
                }
                p += ch == '\\' ? 2 : 1;
            }
            visitor.value(path, STRING, b, pos + 1, p - pos - 1);
            return p + 1;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            int p = pos + 1;
            while (p < end) {
                final int ch = b.getByte(p);
                if ((ch >= '0' && ch <= '9') || ch == '.' || ch == 'e' || ch == 'E' || ch == '+' || ch == '-') {
                    p++;
                } else {
                    break;
                }
            }
            if (p >= end) {
                return -TRUNCATED; // a number at the very end could go on in bytes we lack
            }
            visitor.value(path, NUMBER, b, pos, p - pos);
            return p;
        }
        final int kind = c == 't' ? TRUE : c == 'f' ? FALSE : c == 'n' ? NULL : 0;
        if (kind == 0) {
            return -BAD_SYNTAX;
        }
        final String word = kind == TRUE ? "true" : kind == FALSE ? "false" : "null";
        if (pos + word.length() > end) {
            return -TRUNCATED;
        }
        for (int i = 1; i < word.length(); i++) {
            if (b.getByte(pos + i) != word.charAt(i)) {
                return -BAD_SYNTAX;
            }
        }
        visitor.value(path, kind, b, pos, word.length());
        return pos + word.length();
    }

    private static int skipWs(final ByteBuf b, final int from, final int end) {
        int p = from;
        while (p < end) {
            final int c = b.getByte(p);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            p++;
        }
        return p;
    }
}
