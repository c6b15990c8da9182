package io.sigmatch.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.sigmatch.decoder.Counters;
import io.sigmatch.matcher.rules.RuleSet;
import org.HdrHistogram.Histogram;

/** A real admin server on 127.0.0.1 with one token per role, a snapshot store and a test activator. */
final class AdminFixture implements AutoCloseable {
    final Path dir;
    final Counters counters = new Counters();
    final Histogram latency = new Histogram(1, 60_000_000_000L, 3);
    final AtomicReference<RuleSet> serving = new AtomicReference<>();
    final TokenStore tokens;
    final AuditLog audit;
    final SnapshotStore snapshots;
    final AdminServer server;
    final String ops;
    final String platform;
    final String admin;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final URI base;

    AdminFixture(final Path dir, final AdminConfig config) throws Exception {
        this(dir, config, null);
    }

    /** With a downstream activator (a real pipeline's {@code activate}): what serves is what it matches with. */
    AdminFixture(final Path dir, final AdminConfig config, final SnapshotActivator downstream) throws Exception {
        this.dir = dir;
        tokens = TokenStore.load(dir.resolve("tokens"));
        ops = tokens.issue("ops-1", Role.OPS);
        platform = tokens.issue("platform-1", Role.PLATFORM);
        admin = tokens.issue("admin-1", Role.ADMIN);
        audit = AuditLog.open(dir.resolve("audit.log"));
        snapshots = SnapshotStore.open(dir.resolve("data"), downstream == null ? serving::getAndSet : next -> {
            final RuleSet previous = downstream.activate(next);
            serving.set(next);
            return previous;
        }, audit);
        snapshots.openActive(null);
        final Telemetry telemetry = new Telemetry(counters, () -> {
            synchronized (latency) {
                return latency.copy();
            }
        });
        telemetry.gauge("sigmatch_journal_bytes", "bytes of journal on disk", () -> 4096);
        telemetry.gauge("sigmatch_forward_crm_webhook_lag_records", "matches not yet acknowledged by crm_webhook", () -> 1234);
        telemetry.gauge("sigmatch_forward_crm_webhook_lag_seconds", "capture seconds behind", () -> 56.5);
        server = new AdminServer(config.port(0), tokens, audit, snapshots, telemetry, () -> serving.get() != null);
        base = URI.create("http://127.0.0.1:" + server.start());
    }

    AdminFixture(final Path dir) throws Exception {
        this(dir, new AdminConfig().requestsPerSecond(10_000).burst(10_000));
    }

    HttpResponse<String> send(final String method, final String path, final String token, final HttpRequest.BodyPublisher body,
        final String... headers) throws IOException, InterruptedException {
        final HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(final String path, final String token) throws IOException, InterruptedException {
        return send("GET", path, token, null);
    }

    HttpResponse<String> put(final String path, final String token, final byte[] body, final String... headers)
        throws IOException, InterruptedException {
        return send("PUT", path, token, HttpRequest.BodyPublishers.ofByteArray(body), headers);
    }

    HttpResponse<String> post(final String path, final String token) throws IOException, InterruptedException {
        return send("POST", path, token, null);
    }

    static String rules(final String version, final String goldFile, final String dndFile) {
        return "{\"version\":\"" + version + "\",\"lists\":{\"gold\":{\"kind\":\"imsi\",\"file\":\"" + goldFile + "\"},"
            + "\"dnd\":{\"kind\":\"imsi\",\"file\":\"" + dndFile + "\"}},\"rules\":[{\"id\":\"data-welcome\","
            + "\"trigger\":{\"type\":\"dataSession\"},\"include\":[\"gold\"],\"exclude\":[\"dnd\"],"
            + "\"payload\":{\"campaign\":\"C1\"}}]}";
    }

    @Override
    public void close() throws IOException {
        server.close();
        snapshots.close();
        audit.close();
    }

    static String perms(final Path p) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
