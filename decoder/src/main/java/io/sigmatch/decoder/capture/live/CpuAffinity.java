package io.sigmatch.decoder.capture.live;

import com.sun.jna.Memory;

/**
 * Pins the calling thread to one CPU (sched_setaffinity(2) through JNA), for the appliance's
 * {@code capture.cpus} and {@code pipeline.cpus}: a capture or shard thread that stays on its core
 * keeps its caches and is not preempted by another of ours. Set-up only, once per thread.
 */
public final class CpuAffinity {
    /** cpu_set_t in glibc: 1024 bits. */
    private static final int CPU_SET_BYTES = 128;

    private CpuAffinity() {
    }

    /** The CPUs this process may run on (what the kernel reports; the affinity mask is not read). */
    public static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Pins the calling thread to cpu.
     *
     * @throws IllegalArgumentException cpu out of 0..1023
     * @throws IllegalStateException    not Linux, or the kernel refused (the CPU is offline or outside
     *     the process's cpuset); the message says which
     */
    public static void pinCurrentThread(final int cpu) {
        if (cpu < 0 || cpu >= CPU_SET_BYTES * 8) {
            throw new IllegalArgumentException("cpu must be from 0 to " + (CPU_SET_BYTES * 8 - 1) + ", got " + cpu);
        }
        if (!LinuxNative.AVAILABLE) {
            throw new IllegalStateException("CPU pinning needs Linux (libc through JNA)");
        }
        final Memory mask = new Memory(CPU_SET_BYTES);
        mask.clear();
        mask.setByte(cpu / 8, (byte) (1 << (cpu % 8)));
        if (LinuxNative.sched_setaffinity(0, CPU_SET_BYTES, mask) != 0) {
            throw new IllegalStateException("cannot pin " + Thread.currentThread().getName() + " to CPU " + cpu + ": "
                + LinuxNative.describe(LinuxNative.errno()));
        }
    }
}
