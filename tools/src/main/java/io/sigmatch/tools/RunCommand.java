package io.sigmatch.tools;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.sigmatch.admin.TokenStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sigmatch run --config FILE}: the appliance (DESIGN §12) from one YAML file
 * ({@link ApplianceConfig}, docs/install.md). Runs until SIGTERM or SIGINT; the shutdown hook stops
 * intake, drains the pipeline, closes the journal and the admin plane, in that order.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the appliance from a YAML configuration file (docs/install.md): capture, pipeline, journal, "
        + "admin plane. Stops cleanly on SIGTERM.")
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the appliance's YAML configuration")
    private Path config;

    @Option(names = "--once", description = "exit (cleanly) once the capture files are replayed, instead of serving on")
    private boolean once;

    @Override
    public Integer call() throws Exception {
        final ApplianceConfig c = ApplianceConfig.load(config);
        final TokenStore tokens = TokenStore.load(c.tokens != null ? c.tokens : c.dataDir.resolve("tokens"));
        if (c.adminEnabled && tokens.entries().isEmpty()) {
            System.err.println("run: warning: " + c.tokens + " has no tokens; every authenticated endpoint will answer 401 "
                + "(add one with: sigmatch token add ID ROLE --tokens " + c.tokens + ")");
        }
        final Appliance appliance = Appliance.start(c, tokens);
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread hook = new Thread(() -> {
            System.err.println("run: stopping: intake, pipeline drain, journal, admin plane");
            appliance.close();
            System.err.println("run: stopped cleanly");
            stopped.countDown();
        }, "sigmatch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        appliance.printAdmin(System.err, "run");
        if (appliance.live()) {
            System.err.println("run: snapshot " + appliance.snapshots.servingVersion() + " serving; capturing on "
                + c.captureInterface + " with " + c.captureThreads + " thread(s); serving until SIGTERM");
            stopped.await();
            return 0;
        }
        System.err.println("run: snapshot " + appliance.snapshots.servingVersion() + " serving; replaying "
            + c.captureFiles.size() + " capture file(s)");
        appliance.awaitIntake();
        appliance.summary().print(System.err);
        if (once) {
            if (!appliance.awaitForwarded(c.pipeline.drainTimeoutMs())) {
                System.err.println("run: warning: forwarders still behind after " + c.pipeline.drainTimeoutMs()
                    + " ms; the rest is sent at the next start (their cursors say where)");
            }
            Runtime.getRuntime().removeShutdownHook(hook);
            appliance.close();
            return 0;
        }
        System.err.println("run: capture files replayed; serving until SIGTERM");
        stopped.await();
        return 0;
    }
}
