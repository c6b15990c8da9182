package io.sigmatch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import io.sigmatch.admin.Role;
import io.sigmatch.admin.TokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forwarders: section of sigmatch run: parsed with the file's key paths, wired, and on /metrics. */
class ForwarderApplianceTest {
    private static final Path REPO = Path.of(System.getProperty("sigmatch.repo", "..")).toAbsolutePath().normalize();
    private static final Path DEMO = REPO.resolve("pcap-samples/demo");

    @TempDir
    Path tmp;

    private String yaml(final String forwarders) {
        return "capture:\n  files: [" + DEMO.resolve("epc-attach.pcapng") + "]\n"
            + "pipeline:\n  shards: 2\n  ringSize: 1024\n"
            + "data:\n  dir: " + tmp.resolve("data") + "\n"
            + "rules: " + DEMO.resolve("rules.json") + "\n"
            + "admin:\n  port: 0\n  tokens: " + tmp.resolve("tokens") + "\n"
            + forwarders;
    }

    private Path config(final String yaml) throws Exception {
        final Path f = tmp.resolve("sigmatch.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void aBadForwarderIsRefusedWithTheFileAndTheKeyPath() throws Exception {
        String m = assertThrows(ApplianceConfig.ConfigException.class, () -> ApplianceConfig.load(config(yaml(
            "forwarders:\n  - name: crm\n    type: webhook\n    url: http://127.0.0.1:1/h\n    batchSize: 0\n")))).getMessage();
        assertEquals("sigmatch.yaml: forwarders[0].batchSize: must be from 1 to 100000, got 0", m);
        m = assertThrows(ApplianceConfig.ConfigException.class, () -> ApplianceConfig.load(config(yaml(
            "forwarders:\n  - name: crm\n    type: webhook\n    url: http://127.0.0.1:1/h\n    lingerMS: 5\n")))).getMessage();
        assertTrue(m.startsWith("sigmatch.yaml: forwarders[0].lingerMS: unknown key (known here: auth, backoff,"), m);
        final ApplianceConfig none = ApplianceConfig.load(config(yaml("")));
        assertEquals(0, none.forwarders.size());
    }

    @Test
    void theAppliancesMatchesReachTheWebhookAndTheLagAndPerRuleCountsAreOnMetrics() throws Exception {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        final ExecutorService executor = Executors.newSingleThreadExecutor();
        server.createContext("/hook", x -> {
            try (InputStream in = x.getRequestBody()) {
                lines.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            }
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.setExecutor(executor);
        server.start();
        final String token = TokenStore.load(tmp.resolve("tokens")).issue("ops-1", Role.OPS);
        try {
            final ApplianceConfig c = ApplianceConfig.load(config(yaml("forwarders:\n  - name: crm\n    type: webhook\n"
                + "    url: http://127.0.0.1:" + server.getAddress().getPort() + "/hook\n    batchSize: 16\n    lingerMs: 5\n")));
            final Appliance a = Appliance.start(c, TokenStore.load(tmp.resolve("tokens")));
            final String metrics;
            try {
                a.awaitIntake();
                assertTrue(a.awaitForwarded(20_000));
                Thread.sleep(300);                          // one lag refresh
                final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + a.adminPort() + "/metrics")).header("Authorization", "Bearer " + token)
                    .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                metrics = r.body();
                final StringWriter journaled = new StringWriter();
                JournalCommand.print(a.journalDir(), journaled);
                assertEquals(journaled.toString().strip().lines().toList(), new ArrayList<>(lines));
                // every rule's matches were forwarded and acknowledged, as many as it matched
                final long[] matched = {0};
                final long[] acked = {0};
                a.counters.forEach((label, v) -> {
                    if (label.startsWith("rule.") && label.endsWith(".matched")) {
                        matched[0] += v;
                        final String rule = label.substring(0, label.length() - ".matched".length());
                        assertEquals(v, a.counters.get(rule + ".acknowledged"), rule);
                        assertEquals(v, a.counters.get(rule + ".forwarded"), rule);
                    } else if (label.startsWith("rule.") && label.endsWith(".acknowledged")) {
                        acked[0] += v;
                    }
                });
                assertEquals(54, matched[0]);
                assertEquals(54, acked[0]);
            } finally {
                a.close();
            }
            assertTrue(metrics.contains("sigmatch_forward_crm_lag_records 0\n"), metrics);
            assertTrue(metrics.contains("sigmatch_forward_crm_lag_seconds 0\n"), metrics);
            assertTrue(metrics.contains("sigmatch_forward_crm_records_total 54\n"), metrics);
            assertTrue(metrics.contains("sigmatch_rule_acknowledged_total{rule=\""), metrics);
        } finally {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
