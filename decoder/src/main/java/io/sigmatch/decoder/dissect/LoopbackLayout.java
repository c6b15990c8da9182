package io.sigmatch.decoder.dissect;

/**
 * BSD loopback encapsulation (LINKTYPE_NULL, LINKTYPE_LOOP): a 4-byte address family before the
 * IP packet. NULL writes it in the capturing host's byte order, LOOP always big-endian. The value
 * of AF_INET6 differs between systems, so every known one is accepted.
 */
final class LoopbackLayout {
    static final int HEADER_LENGTH = 4;
    static final int AF_INET = 2;
    static final int AF_INET6_LINUX = 10;
    static final int AF_INET6_WINDOWS = 23;
    static final int AF_INET6_BSD = 24;
    static final int AF_INET6_FREEBSD = 28;
    static final int AF_INET6_DARWIN = 30;

    private LoopbackLayout() {
    }
}
