package io.sigmatch.decoder.capture.live;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Sends raw Ethernet frames out of an interface inside a network namespace, from a thread of this
 * JVM: the thread enters the namespace with setns(2) (it moves only the calling thread), opens an
 * AF_PACKET socket there and writes each frame with sendto(2). Pinned to one CPU so the peer's
 * receive backlog sees the frames in order. No tool beyond iproute2 (which made the namespace).
 */
final class VethSender {
    static {
        Native.register(VethSender.class, Platform.C_LIBRARY_NAME);
    }

    private static native int sched_setaffinity(int pid, long size, Memory mask);

    private VethSender() {
    }

    /** Sends every frame `rounds` times; returns the frames the kernel accepted. */
    static long send(final String namespace, final String device, final List<byte[]> frames, final int rounds)
        throws InterruptedException {
        final long[] sent = {0};
        final AtomicReference<String> error = new AtomicReference<>();
        final Thread t = new Thread(() -> {
            final Memory cpu = new Memory(8);
            cpu.setLong(0, 1L); // CPU 0
            sched_setaffinity(0, 8, cpu);
            final int ns = LinuxNative.open("/var/run/netns/" + namespace, LinuxNative.O_RDONLY);
            if (ns < 0 || LinuxNative.setns(ns, LinuxNative.CLONE_NEWNET) != 0) {
                error.set("setns " + namespace + ": " + LinuxNative.describe(LinuxNative.errno()));
                return;
            }
            LinuxNative.close(ns);
            final int ifIndex = LinuxNative.if_nametoindex(device);
            final int fd = LinuxNative.socket(LinuxNative.AF_PACKET, LinuxNative.SOCK_RAW, 0);
            if (ifIndex == 0 || fd < 0) {
                error.set("sender socket on " + device + ": " + LinuxNative.describe(LinuxNative.errno()));
                return;
            }
            try {
                final Memory sll = new Memory(TpacketLayout.SOCKADDR_LL_LENGTH);
                sll.clear();
                sll.setShort(0, (short) LinuxNative.AF_PACKET);            // sll_family
                sll.setShort(2, LinuxNative.htons(LinuxNative.ETH_P_ALL)); // sll_protocol
                sll.setInt(4, ifIndex);                                    // sll_ifindex
                sll.setByte(11, (byte) 6);                                 // sll_halen
                int largest = 0;
                for (final byte[] f : frames) {
                    largest = Math.max(largest, f.length);
                }
                final Memory buffer = new Memory(Math.max(1, largest));
                for (int r = 0; r < rounds; r++) {
                    for (final byte[] f : frames) {
                        buffer.write(0, f, 0, f.length);
                        if (LinuxNative.sendto(fd, buffer, f.length, 0, sll, TpacketLayout.SOCKADDR_LL_LENGTH) == f.length) {
                            sent[0]++;
                        }
                    }
                }
            } finally {
                LinuxNative.close(fd);
            }
        }, "veth-sender");
        t.start();
        t.join();
        if (error.get() != null) {
            throw new IllegalStateException(error.get());
        }
        return sent[0];
    }

    /** Writes value to a /proc/sys file as seen inside the namespace (sysctls are per namespace). */
    static boolean writeInNamespace(final String namespace, final String procPath, final String value)
        throws InterruptedException {
        final boolean[] ok = {false};
        final Thread t = new Thread(() -> {
            final int ns = LinuxNative.open("/var/run/netns/" + namespace, LinuxNative.O_RDONLY);
            if (ns < 0 || LinuxNative.setns(ns, LinuxNative.CLONE_NEWNET) != 0) {
                return;
            }
            LinuxNative.close(ns);
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(procPath), value);
                ok[0] = true;
            } catch (final java.io.IOException e) {
                ok[0] = false;
            }
        }, "veth-sysctl");
        t.start();
        t.join();
        return ok[0];
    }
}
