package io.sigmatch.decoder.capture.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sigmatch.decoder.Counters;
import org.junit.jupiter.api.Test;

/** The parts of live capture that need no privilege: BPF parsing, limits, and the one-line errors. */
class LiveCaptureSetupTest {
    @Test
    void parsesTcpdumpDddNumbersIntoKernelInstructions() {
        final BpfProgram p = BpfProgram.parse(LiveCaptureVethTest.IPV4_UDP);
        assertEquals(6, p.length());
        final byte[] b = p.toBytes();
        // struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; } little-endian: instruction 1 = jeq #0x800 jt 0 jf 3
        assertArrayEquals(new byte[] {21, 0, 0, 3, 0, 8, 0, 0}, java.util.Arrays.copyOfRange(b, 8, 16));
        // ret #262144
        assertArrayEquals(new byte[] {6, 0, 0, 0, 0, 0, 4, 0}, java.util.Arrays.copyOfRange(b, 32, 40));
        assertEquals(p, BpfProgram.parse(LiveCaptureVethTest.IPV4_UDP.replace(',', '\n')), "newline-separated too");
    }

    @Test
    void refusesMalformedPrograms() {
        assertThrows(IllegalArgumentException.class, () -> BpfProgram.parse(""));
        assertThrows(IllegalArgumentException.class, () -> BpfProgram.parse("2,6 0 0 0"), "count mismatch");
        assertThrows(IllegalArgumentException.class, () -> BpfProgram.parse("1,6 0 0"), "three numbers");
        assertThrows(IllegalArgumentException.class, () -> BpfProgram.parse("1,40 0 0 12"), "no ret at the end");
        assertThrows(IllegalArgumentException.class, () -> BpfProgram.parse("1,6 0 256 0"), "jf above 255");
        assertThrows(IllegalArgumentException.class, () -> BpfProgram.parse("0"), "no instructions");
        assertThrows(IllegalArgumentException.class, () -> BpfProgram.parse("x,6 0 0 0"));
    }

    @Test
    void refusesBadLimits() {
        assertThrows(IllegalArgumentException.class, () -> new LiveCaptureConfig().conclude(), "no interface");
        assertThrows(IllegalArgumentException.class, () -> new LiveCaptureConfig().interfaceName("eth0").threads(0).conclude());
        assertThrows(IllegalArgumentException.class,
            () -> new LiveCaptureConfig().interfaceName("eth0").blockSizeBytes(300_000).conclude(), "not a power of two");
        assertThrows(IllegalArgumentException.class,
            () -> new LiveCaptureConfig().interfaceName("eth0").blockCount(2048).conclude(), "2 GiB ring");
        assertThrows(IllegalArgumentException.class,
            () -> new LiveCaptureConfig().interfaceName("an-interface-name-too-long").conclude());
        new LiveCaptureConfig().interfaceName("eth0").conclude();
    }

    @Test
    void noSuchInterfaceIsOneClearLine() {
        assumeTrue(LinuxNative.AVAILABLE, "not Linux");
        final LiveCaptureException e = assertThrows(LiveCaptureException.class,
            () -> LiveCapture.open(new LiveCaptureConfig().interfaceName("nosuchif0"), new Counters()));
        assertEquals("no such interface: nosuchif0", e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void withoutCapNetRawTheErrorSaysWhatToGrant() throws Exception {
        final String skip = VethPair.skipReason();
        assumeTrue(skip == null, skip);
        final Throwable t = WithoutCapabilities.run(() ->
            LiveCapture.open(new LiveCaptureConfig().interfaceName("lo"), new Counters()).close());
        assertTrue(t instanceof LiveCaptureException, String.valueOf(t));
        // strerror follows the locale: only the errno number is fixed.
        assertTrue(t.getMessage().startsWith("live capture needs CAP_NET_RAW (run as root or grant the capability, "
            + "see docs/capture.md): ") && t.getMessage().endsWith("(errno 1)"), t.getMessage());
        assertTrue(!t.getMessage().contains("\n"));
    }
}
