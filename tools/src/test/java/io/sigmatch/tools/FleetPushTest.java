package io.sigmatch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.sigmatch.admin.Role;
import io.sigmatch.admin.TokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sigmatch push --to A --to B ...} rolls a snapshot out to a fleet (issue 12 item 2): staged on
 * every appliance, then activated on each, with a line per appliance saying which version it runs.
 * One appliance of four is down: the three others are brought to the version and the command says
 * which one missed it; rerun with --catch-up-seconds once the fourth is up, it brings that one to the
 * version and leaves the others alone. A snapshot one appliance refuses is activated nowhere.
 */
class FleetPushTest {
    private static final Path REPO = Path.of(System.getProperty("sigmatch.repo", "..")).toAbsolutePath().normalize();
    private static final Path DEMO = REPO.resolve("pcap-samples/demo");

    @TempDir
    Path tmp;

    private Path platformToken() throws Exception {
        final String token = TokenStore.load(tmp.resolve("tokens")).issue("platform-1", Role.PLATFORM);
        final Path f = tmp.resolve("platform.token");
        Files.writeString(f, token + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private Appliance appliance(final String name, final int port) throws Exception {
        final Path yaml = Files.writeString(tmp.resolve(name + ".yaml"),
            "capture:\n  files: [" + DEMO.resolve("epc-attach.pcapng") + "]\n"
                + "data:\n  dir: " + tmp.resolve(name) + "\n"
                + "rules: " + DEMO.resolve("rules.json") + "\n"
                + "admin:\n  port: " + port + "\n  tokens: " + tmp.resolve("tokens") + "\n");
        final Appliance a = Appliance.start(ApplianceConfig.load(yaml), TokenStore.load(tmp.resolve("tokens")));
        a.awaitIntake();
        return a;
    }

    private Path snapshot(final String version, final String extraRule) throws Exception {
        final Path dir = Files.createDirectories(tmp.resolve("snap-" + version));
        String rules = Files.readString(DEMO.resolve("rules.json")).replace("\"demo-1\"", "\"" + version + "\"");
        if (extraRule != null) {
            rules = rules.replace("\"rules\": [", "\"rules\": [" + extraRule + ",");
        }
        Files.writeString(dir.resolve("rules.json"), rules);
        Files.copy(DEMO.resolve("dnd-imsi.txt.gz"), dir.resolve("dnd-imsi.txt.gz"));
        Files.copy(DEMO.resolve("gold-imsi.txt"), dir.resolve("gold-imsi.txt"));
        return dir.resolve("rules.json");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String url(final int port) {
        return "http://127.0.0.1:" + port;
    }

    @Test
    void stagedEverywhereThenActivatedAndTheOneThatWasDownCatchesUp() throws Exception {
        final Path token = platformToken();
        final List<Appliance> fleet = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                fleet.add(appliance("probe-" + i, 0));
            }
            final int downPort = freePort();
            final Path fleetFile = tmp.resolve("fleet.txt");
            final StringBuilder f = new StringBuilder("# the province's probes\n");
            for (final Appliance a : fleet) {
                f.append(url(a.adminPort())).append('\n');
            }
            f.append(url(downPort)).append("   # probe-3, down for maintenance\n");
            Files.writeString(fleetFile, f);
            final Path v2 = snapshot("v2", null);

            final ApplianceEndToEndTest.Run first = ApplianceEndToEndTest.run("push", "rules", v2.toString(), "--fleet",
                fleetFile.toString(), "--token-file", token.toString(), "--activate");
            System.out.print(first.out() + first.err());
            assertEquals(1, first.code(), "one appliance did not get the version");
            for (final Appliance a : fleet) {
                assertEquals("v2", a.snapshots.servingVersion());
                assertTrue(first.out().contains("{\"appliance\":\"" + url(a.adminPort()) + "\",\"result\":\"activated (was demo-1)\","
                    + "\"active\":\"v2\"}"), first.out());
            }
            assertTrue(first.out().contains("{\"appliance\":\"" + url(downPort) + "\",\"result\":\"unreachable: "), first.out());
            assertTrue(first.err().contains("push: v2: 3 of 4 appliances run it"), first.err());

            // probe-3 comes back while the platform keeps retrying it
            final AtomicReference<ApplianceEndToEndTest.Run> second = new AtomicReference<>();
            final Thread rerun = new Thread(() -> second.set(ApplianceEndToEndTest.run("push", "rules", v2.toString(),
                "--fleet", fleetFile.toString(), "--token-file", token.toString(), "--activate", "--catch-up-seconds", "60")));
            rerun.start();
            Thread.sleep(1_500);
            fleet.add(appliance("probe-3", downPort));
            rerun.join(90_000);
            final ApplianceEndToEndTest.Run r = second.get();
            System.out.print(r.out() + r.err());
            assertEquals(0, r.code(), r.err());
            for (int i = 0; i < 3; i++) {
                assertTrue(r.out().contains("{\"appliance\":\"" + url(fleet.get(i).adminPort()) + "\",\"result\":\"already active\","
                    + "\"active\":\"v2\"}"), r.out());
            }
            assertTrue(r.out().contains("{\"appliance\":\"" + url(downPort) + "\",\"result\":\"activated (was demo-1)\","
                + "\"active\":\"v2\"}"), r.out());
            assertEquals("v2", fleet.get(3).snapshots.servingVersion());
            assertTrue(r.err().contains("push: v2: 4 of 4 appliances run it"), r.err());

            // a version one appliance refuses (here: a rule naming a list the snapshot lacks) is activated nowhere
            final Path bad = snapshot("v3", "{ \"id\": \"broken\", \"trigger\": { \"type\": \"powerOn\" }, \"include\": [\"nope\"] }");
            final ApplianceEndToEndTest.Run third = ApplianceEndToEndTest.run("push", "rules", bad.toString(), "--fleet",
                fleetFile.toString(), "--token-file", token.toString(), "--activate");
            System.out.print(third.out() + third.err());
            assertEquals(1, third.code());
            assertTrue(third.out().contains("\"result\":\"refused: POST snapshots/v3/activate: HTTP 422: snapshot.json: "
                + "rules[0].include[0]: no list named nope in lists\""), third.out());
            assertEquals(3, third.out().split("\"result\":\"not activated: refused by ", -1).length - 1, third.out());
            for (final Appliance a : fleet) {
                assertEquals("v2", a.snapshots.servingVersion());
            }
        } finally {
            fleet.forEach(Appliance::close);
        }
    }
}
