package io.sigmatch.decoder.capture.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A veth pair for the live capture test: {@link #captureSide} in this namespace, {@link #sendSide}
 * in a fresh network namespace {@link #namespace}, both up with MTU 9000 and IPv6 off (so the
 * kernel sends no router solicitations or MLD reports into the capture). Made with iproute2;
 * {@link #close()} deletes the namespace (which deletes the pair) whatever happened.
 */
final class VethPair implements AutoCloseable {
    final String namespace;
    final String captureSide;
    final String sendSide;

    private VethPair(final String tag) {
        namespace = "sigmatch-" + tag;
        captureSide = "smc" + tag;
        sendSide = "sms" + tag;
    }

    /** Null with the reason in skipReason[0] when this machine cannot run the test. */
    static String skipReason() {
        if (!System.getProperty("os.name").toLowerCase().contains("linux")) {
            return "live capture needs Linux";
        }
        if (!LinuxNative.AVAILABLE) {
            return "JNA could not bind libc";
        }
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:") && !line.split("\\s+")[2].equals("0")) {
                    return "not root (effective uid " + line.split("\\s+")[2] + "): the veth test needs to create a network namespace";
                }
            }
        } catch (final IOException e) {
            return "cannot read /proc/self/status";
        }
        try {
            if (run(List.of("ip", "-V")) != 0) {
                return "iproute2 'ip' does not run";
            }
        } catch (final IOException e) {
            return "iproute2 'ip' not found";
        }
        return null;
    }

    static VethPair create() throws IOException, InterruptedException {
        final VethPair v = new VethPair(Long.toString(ProcessHandle.current().pid() % 100_000));
        v.close(); // a leftover from a killed run with the same pid
        boolean ok = false;
        try {
            ip("netns", "add", v.namespace);
            VethSender.writeInNamespace(v.namespace, "/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
            ip("link", "add", v.captureSide, "type", "veth", "peer", "name", v.sendSide, "netns", v.namespace);
            try {
                Files.writeString(Path.of("/proc/sys/net/ipv6/conf", v.captureSide, "disable_ipv6"), "1");
            } catch (final IOException e) {
                // no IPv6 on this host: nothing to silence
            }
            ip("link", "set", v.captureSide, "mtu", "9000", "up");
            ip("-n", v.namespace, "link", "set", v.sendSide, "mtu", "9000", "up");
            ok = true;
            return v;
        } finally {
            if (!ok) {
                v.close();
            }
        }
    }

    private static void ip(final String... args) throws IOException, InterruptedException {
        final List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        if (run(cmd) != 0) {
            throw new IOException("failed: " + String.join(" ", cmd));
        }
    }

    private static int run(final List<String> cmd) throws IOException {
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        run(List.of("ip", "link", "del", captureSide)); // deletes the peer too; fails quietly when absent
        run(List.of("ip", "netns", "del", namespace));
    }
}
