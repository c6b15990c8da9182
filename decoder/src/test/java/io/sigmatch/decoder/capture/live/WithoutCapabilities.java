package io.sigmatch.decoder.capture.live;

import java.util.concurrent.atomic.AtomicReference;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Runs a piece of code on a thread whose effective capability set is empty (capset(2) acts on the
 * calling thread only), so a test running as root sees what an unprivileged deployment sees.
 */
final class WithoutCapabilities {
    /** _LINUX_CAPABILITY_VERSION_3: two 32-bit data words. */
    private static final int VERSION_3 = 0x20080522;

    static {
        Native.register(WithoutCapabilities.class, Platform.C_LIBRARY_NAME);
    }

    private static native int capget(Memory header, Memory data);

    private static native int capset(Memory header, Memory data);

    private WithoutCapabilities() {
    }

    /** The throwable the action threw (null if none); IllegalStateException if capset failed. */
    static Throwable run(final ThrowingRunnable action) throws InterruptedException {
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final Thread t = new Thread(() -> {
            final Memory header = new Memory(8);
            header.setInt(0, VERSION_3);                 // version
            header.setInt(4, 0);                         // pid 0: this thread
            final Memory data = new Memory(24);          // 2 x {effective, permitted, inheritable}
            if (capget(header, data) != 0) {
                thrown.set(new IllegalStateException("capget failed"));
                return;
            }
            data.setInt(0, 0);                           // effective, capabilities 0..31: none
            data.setInt(12, 0);                          // effective, capabilities 32..63: none
            if (capset(header, data) != 0) {
                thrown.set(new IllegalStateException("capset failed: " + LinuxNative.describe(LinuxNative.errno())));
                return;
            }
            try {
                action.run();
            } catch (final Throwable e) {
                thrown.set(e);
            }
        }, "without-capabilities");
        t.start();
        t.join();
        return thrown.get();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
