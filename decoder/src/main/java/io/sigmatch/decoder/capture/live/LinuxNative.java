package io.sigmatch.decoder.capture.live;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few libc calls live capture makes, through JNA direct mapping (Java 17 has no foreign
 * function API). They run at set-up (socket, setsockopt, mmap, bind), once per ring block that
 * finds the ring empty (poll) and for statistics; never once per packet. Constants are the Linux
 * x86-64/aarch64 ABI values from linux/if_packet.h, linux/socket.h and asm-generic headers.
 */
final class LinuxNative {
    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    /** ETH_P_ALL (linux/if_ether.h): every protocol. Passed in network byte order. */
    static final int ETH_P_ALL = 0x0003;

    static final int SOL_SOCKET = 1;
    static final int SO_ATTACH_FILTER = 26;
    static final int SOL_PACKET = 263;
    static final int PACKET_ADD_MEMBERSHIP = 1;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int PACKET_FANOUT = 18;
    static final int PACKET_MR_PROMISC = 1;
    static final int TPACKET_V3 = 2;
    static final int PACKET_FANOUT_HASH = 0;
    /** Fragments are reassembled before hashing, so all fragments of a datagram reach one socket. */
    static final int PACKET_FANOUT_FLAG_DEFRAG = 0x8000;

    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final long MAP_FAILED = -1L;

    static final short POLLIN = 0x001;
    static final short POLLERR = 0x008;

    static final int O_RDONLY = 0;
    static final int CLONE_NEWNET = 0x40000000;

    static final int EPERM = 1;
    static final int EACCES = 13;
    static final int ENODEV = 19;
    static final int ENXIO = 6;
    static final int EINTR = 4;

    static final boolean AVAILABLE;

    static {
        boolean ok = false;
        if (Platform.isLinux()) {
            try {
                Native.register(LinuxNative.class, Platform.C_LIBRARY_NAME);
                ok = true;
            } catch (final UnsatisfiedLinkError | RuntimeException e) {
                ok = false;
            }
        }
        AVAILABLE = ok;
    }

    private LinuxNative() {
    }

    static native int socket(int domain, int type, int protocol);

    static native int setsockopt(int fd, int level, int name, Pointer value, int length);

    static native int getsockopt(int fd, int level, int name, Pointer value, Pointer length);

    static native int bind(int fd, Pointer address, int length);

    static native Pointer mmap(Pointer address, long length, int prot, int flags, int fd, long offset);

    static native int munmap(Pointer address, long length);

    static native int poll(Pointer fds, int count, int timeoutMs);

    static native int close(int fd);

    static native int if_nametoindex(String name);

    static native long sendto(int fd, Pointer buffer, long length, int flags, Pointer address, int addressLength);

    static native int open(String path, int flags);

    /** sched_setaffinity(2): pid 0 is the calling thread; mask is a cpu_set_t of size bytes. */
    static native int sched_setaffinity(int pid, long size, Pointer mask);

    /** Moves the calling thread into the namespace fd refers to (the test sender uses it). */
    static native int setns(int fd, int nstype);

    static native String strerror(int errno);

    static int errno() {
        return Native.getLastError();
    }

    /** "Operation not permitted (errno 1)". */
    static String describe(final int errno) {
        String text;
        try {
            text = strerror(errno);
        } catch (final RuntimeException | UnsatisfiedLinkError e) {
            text = null;
        }
        return (text == null ? "error" : text) + " (errno " + errno + ")";
    }

    static short htons(final int v) {
        return (short) (((v & 0xFF) << 8) | ((v >>> 8) & 0xFF));
    }
}
