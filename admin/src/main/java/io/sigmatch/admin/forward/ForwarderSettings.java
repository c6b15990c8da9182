package io.sigmatch.admin.forward;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code forwarders:} section of the appliance's configuration file (docs/forwarding.md), a list
 * of forwarders, each refused with its dotted path and why ({@code forwarders[1].batchSize: must be
 * from 1 to 100000, got 0}). Every key is known; relative paths are relative to the file's directory.
 *
 * <pre>
 * forwarders:
 *   - name: crm                       # [a-z0-9-]; cursor in &lt;data.dir&gt;/forward/crm.cursor
 *     type: webhook
 *     url: https://crm.example/hooks/sigmatch
 *     batchSize: 500
 *     lingerMs: 50
 *     timeoutMs: 10000
 *     connectTimeoutMs: 5000
 *     backoff: { initialMs: 100, maxMs: 30000 }
 *     auth: { header: Authorization, valueFile: /etc/sigmatch/crm.secret }   # or value: "Bearer ..."
 *     tls: { trustStore: /etc/sigmatch/crm-ca.pem }                           # or a .p12 with password, type
 *   - name: fleet
 *     type: kafka
 *     bootstrapServers: k1:9092,k2:9092
 *     topic: sigmatch.matches
 *     deliveryTimeoutMs: 30000
 *     properties: { security.protocol: SSL, ssl.truststore.location: /etc/sigmatch/kafka.p12 }
 * </pre>
 */
public final class ForwarderSettings {
    private static final Set<String> COMMON = Set.of("name", "type", "batchSize", "lingerMs", "backoff", "idleSleepMs");
    private static final Set<String> WEBHOOK = Set.of("url", "timeoutMs", "connectTimeoutMs", "auth", "tls");
    private static final Set<String> KAFKA = Set.of("bootstrapServers", "topic", "deliveryTimeoutMs", "properties");
    private static final Map<String, Set<String>> NESTED = Map.of(
        "backoff", Set.of("initialMs", "maxMs"),
        "auth", Set.of("header", "value", "valueFile"),
        "tls", Set.of("trustStore", "password", "type"));

    private ForwarderSettings() {
    }

    /**
     * Reads the list; cursors go to {@code dataDir/forward/<name>.cursor}. Throws IllegalArgumentException
     * whose message starts with the key's dotted path.
     */
    public static List<ForwarderConfig> parse(final JsonNode list, final Path base, final Path dataDir) {
        final List<ForwarderConfig> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("forwarders: must be a list of forwarders (- name: ..., type: webhook|kafka)");
        }
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            final String at = "forwarders[" + i + "]";
            final ForwarderConfig c = one(list.get(i), at, base, dataDir);
            if (!names.add(c.name())) {
                throw new IllegalArgumentException(at + ".name: " + c.name() + " is used twice (each forwarder has its own cursor)");
            }
            out.add(c);
        }
        return out;
    }

    private static ForwarderConfig one(final JsonNode n, final String at, final Path base, final Path dataDir) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(at + ": must be a mapping (name, type, ...)");
        }
        final String name = text(n, "name", at);
        final String type = text(n, "type", at);
        if (name == null) {
            throw new IllegalArgumentException(at + ".name: missing");
        }
        if (type == null || !(type.equals("webhook") || type.equals("kafka"))) {
            throw new IllegalArgumentException(at + ".type: must be webhook or kafka, got " + n.get("type"));
        }
        final Set<String> known = new HashSet<>(COMMON);
        known.addAll(type.equals("webhook") ? WEBHOOK : KAFKA);
        keys(n, at, known);
        final ForwarderConfig c;
        if (type.equals("webhook")) {
            final String url = text(n, "url", at);
            if (url == null) {
                throw new IllegalArgumentException(at + ".url: missing");
            }
            try {
                c = ForwarderConfig.webhook(name, new URI(url));
            } catch (final URISyntaxException e) {
                throw new IllegalArgumentException(at + ".url: not a URL: " + e.getMessage());
            }
            c.timeoutMs(integer(n, "timeoutMs", at, c.timeoutMs()));
            c.connectTimeoutMs(integer(n, "connectTimeoutMs", at, c.connectTimeoutMs()));
            final JsonNode auth = nested(n, "auth", at);
            if (auth != null) {
                final String header = text(auth, "header", at + ".auth");
                String value = text(auth, "value", at + ".auth");
                final String file = text(auth, "valueFile", at + ".auth");
                if ((value == null) == (file == null)) {
                    throw new IllegalArgumentException(at + ".auth: needs exactly one of value and valueFile");
                }
                if (file != null) {
                    value = secret(base.resolve(file).normalize(), at + ".auth.valueFile");
                }
                c.auth(header == null ? "Authorization" : header, value);
            }
            final JsonNode tls = nested(n, "tls", at);
            if (tls != null) {
                final String store = text(tls, "trustStore", at + ".tls");
                if (store == null) {
                    throw new IllegalArgumentException(at + ".tls.trustStore: missing (a PEM file of CA certificates, or PKCS12/JKS)");
                }
                final Path p = base.resolve(store).normalize();
                if (!Files.isReadable(p)) {
                    throw new IllegalArgumentException(at + ".tls.trustStore: cannot read " + p);
                }
                c.trustStore(p, text(tls, "password", at + ".tls"), text(tls, "type", at + ".tls"));
            }
        } else {
            c = ForwarderConfig.kafka(name, text(n, "bootstrapServers", at), text(n, "topic", at));
            c.deliveryTimeoutMs(integer(n, "deliveryTimeoutMs", at, c.deliveryTimeoutMs()));
            final JsonNode props = n.get("properties");
            if (props != null && !props.isNull()) {
                if (!props.isObject()) {
                    throw new IllegalArgumentException(at + ".properties: must be a mapping of producer settings");
                }
                for (final Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                    final Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                        throw new IllegalArgumentException(at + ".properties." + e.getKey() + ": must be a value");
                    }
                    c.kafkaProperty(e.getKey(), e.getValue().asText());
                }
            }
        }
        c.batchSize((int) Math.min(Integer.MAX_VALUE, integer(n, "batchSize", at, c.batchSize())));
        c.lingerMs(integer(n, "lingerMs", at, c.lingerMs()));
        c.idleSleepMs(integer(n, "idleSleepMs", at, c.idleSleepMs()));
        final JsonNode backoff = nested(n, "backoff", at);
        c.backoffMs(integer(backoff, "initialMs", at + ".backoff", c.backoffInitialMs()),
            integer(backoff, "maxMs", at + ".backoff", c.backoffMaxMs()));
        c.cursorFile(dataDir.resolve("forward").resolve(name + ".cursor"));
        try {
            c.conclude();
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(at + "." + e.getMessage());
        }
        return c;
    }

    /** The secret in file, one line; refused when group or others may read it. */
    private static String secret(final Path file, final String at) {
        try {
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                final Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
                p.remove(PosixFilePermission.OWNER_READ);
                p.remove(PosixFilePermission.OWNER_WRITE);
                p.remove(PosixFilePermission.OWNER_EXECUTE);
                if (!p.isEmpty()) {
                    throw new IllegalArgumentException(at + ": " + file + " holds a secret and must be owner-only (chmod 600)");
                }
            }
            final String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (s.isEmpty() || s.indexOf('\n') >= 0) {
                throw new IllegalArgumentException(at + ": " + file + " must hold one non-empty line");
            }
            return s;
        } catch (final IOException e) {
            throw new IllegalArgumentException(at + ": cannot read " + file);
        }
    }

    private static void keys(final JsonNode n, final String at, final Set<String> known) {
        for (final Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            final String k = it.next();
            if (!known.contains(k)) {
                throw new IllegalArgumentException(at + "." + k + ": unknown key (known here: "
                    + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    private static JsonNode nested(final JsonNode n, final String key, final String at) {
        final JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException(at + "." + key + ": must be a mapping of keys");
        }
        keys(v, at + "." + key, NESTED.get(key));
        return v;
    }

    private static String text(final JsonNode n, final String key, final String at) {
        final JsonNode v = n == null ? null : n.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(at + "." + key + ": must be a non-empty string, got " + v);
        }
        return v.asText();
    }

    private static long integer(final JsonNode n, final String key, final String at, final long dflt) {
        final JsonNode v = n == null ? null : n.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber()) {
            throw new IllegalArgumentException(at + "." + key + ": must be an integer, got " + v);
        }
        return v.asLong();
    }
}
