package io.sigmatch.tools;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sigmatch status --to URL --token-file F}: an appliance's health in a few lines (or the raw
 * {@code /status.json} with {@code --json}); exit 0 when it is ready, 3 when it answers but is not.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a remote appliance's status: snapshot serving, events, matches, errors, latency, per-rule counts.")
public final class StatusCommand implements Callable<Integer> {
    @Option(names = "--to", required = true, paramLabel = "URL", description = "the appliance's admin plane")
    private String url;

    @Option(names = "--token-file", required = true, paramLabel = "FILE", description = "file holding an ops (or higher) token")
    private Path tokenFile;

    @Option(names = "--ca", paramLabel = "PEM", description = "CA certificate to trust for https")
    private Path ca;

    @Option(names = "--json", description = "print /status.json as it is")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        final AdminClient client = new AdminClient(url, tokenFile, ca);
        final JsonNode s = client.send("GET", "status.json", null);
        boolean ready;
        try {
            ready = client.send("GET", "health/ready", null).path("status").asText().equals("ready");
        } catch (final java.io.IOException notReady) {
            ready = false;
        }
        if (json) {
            System.out.println(s);
            return ready ? 0 : 3;
        }
        final JsonNode t = s.path("totals");
        final JsonNode snap = s.path("snapshots");
        System.out.printf("%s: %s, snapshot %s (active %s, previous %s), up %.0f s%n", url, ready ? "ready" : "NOT READY",
            snap.path("serving").asText("-"), snap.path("active").asText("none"), snap.path("previous").asText("none"),
            s.path("uptimeSeconds").asDouble());
        System.out.printf("events %d, matches %d, decode errors %d, drops %d%n", t.path("events").asLong(),
            t.path("matches").asLong(), t.path("decodeErrors").asLong(), t.path("drops").asLong());
        final JsonNode j = s.path("journal");
        if (!j.isMissingNode()) {
            final StringBuilder dropped = new StringBuilder();
            j.path("dropped").properties().forEach(e -> {
                if (e.getValue().asLong() > 0) {
                    dropped.append(dropped.length() == 0 ? ", not journaled: " : ", ").append(e.getKey()).append(' ')
                        .append(e.getValue().asLong());
                }
            });
            System.out.printf("journal %s: %d bytes (budget %s), %d bytes free, %d cycles, oldest %s%s%s%n",
                j.path("alarm").isTextual() ? "ALARM " + j.path("alarm").asText() : "ok", j.path("bytes").asLong(),
                j.path("budgetBytes").asLong() > 0 ? Long.toString(j.path("budgetBytes").asLong()) : "none",
                j.path("freeBytes").asLong(), j.path("cycles").asLong(), j.path("oldestCycle").asText("-"),
                j.path("heldByForwarder").asBoolean() ? " (kept for a forwarder)" : "", dropped);
        }
        for (final JsonNode a : s.path("alarms")) {
            System.out.println("ALARM " + a.path("name").asText() + ": " + a.path("message").asText());
        }
        final JsonNode l = s.path("latencyUs");
        if (l.path("count").asLong() > 0) {
            System.out.printf("latency us: p50 %.1f, p99 %.1f, p99.9 %.1f, max %.1f (%d matches)%n", l.path("p50").asDouble(),
                l.path("p99").asDouble(), l.path("p999").asDouble(), l.path("max").asDouble(), l.path("count").asLong());
        }
        for (final Iterator<Map.Entry<String, JsonNode>> it = s.path("rules").properties().iterator(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> r = it.next();
            final StringBuilder sup = new StringBuilder();
            r.getValue().path("suppressed").properties().forEach(e -> {
                if (e.getValue().asLong() > 0) {
                    sup.append(sup.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue().asLong());
                }
            });
            System.out.printf("rule %s: evaluated %d, matched %d%s%n", r.getKey(), r.getValue().path("evaluated").asLong(),
                r.getValue().path("matched").asLong(), sup.length() == 0 ? "" : ", suppressed: " + sup);
        }
        return ready ? 0 : 3;
    }
}
