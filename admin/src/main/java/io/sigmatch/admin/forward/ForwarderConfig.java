package io.sigmatch.admin.forward;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One forwarder's settings, validated by {@link #conclude()} with the setting's name in the message.
 * Defaults (units in the names):
 *
 * <table>
 *   <tr><th>setting</th><th>default</th><th>what</th></tr>
 *   <tr><td>name</td><td>—</td><td>{@code [a-z0-9][a-z0-9-]*}, at most 48: the thread, cursor file and metric names</td></tr>
 *   <tr><td>batchSize</td><td>500</td><td>records per webhook POST / Kafka flush, 1 to 100 000</td></tr>
 *   <tr><td>lingerMs</td><td>50</td><td>how long a batch that is not full waits for more records</td></tr>
 *   <tr><td>backoffInitialMs, backoffMaxMs</td><td>100, 30 000</td><td>retry delay doubles from the first to the cap, with jitter</td></tr>
 *   <tr><td>idleSleepMs</td><td>2</td><td>how often an idle forwarder looks for new records</td></tr>
 *   <tr><td>webhook: url, timeoutMs, connectTimeoutMs</td><td>—, 10 000, 5 000</td><td>http or https; timeout per POST</td></tr>
 *   <tr><td>webhook: authHeader, authValue</td><td>none</td><td>e.g. {@code Authorization: Bearer ...}; never logged</td></tr>
 *   <tr><td>webhook: trustStore, trustStorePassword, trustStoreType</td><td>the JDK's CAs</td><td>PKCS12/JKS file, or a PEM file of CA certificates</td></tr>
 *   <tr><td>kafka: bootstrapServers, topic, deliveryTimeoutMs</td><td>—, —, 30 000</td><td>idempotent producer, acks=all</td></tr>
 *   <tr><td>kafka: properties</td><td>none</td><td>more producer settings (security.protocol, ssl.*, sasl.*); not acks or idempotence</td></tr>
 * </table>
 */
public final class ForwarderConfig {
    public enum Kind { WEBHOOK, KAFKA }

    public static final int BATCH_SIZE_DEFAULT = 500;
    public static final long LINGER_MS_DEFAULT = 50;
    public static final long BACKOFF_INITIAL_MS_DEFAULT = 100;
    public static final long BACKOFF_MAX_MS_DEFAULT = 30_000;
    public static final long IDLE_SLEEP_MS_DEFAULT = 2;
    public static final long TIMEOUT_MS_DEFAULT = 10_000;
    public static final long CONNECT_TIMEOUT_MS_DEFAULT = 5_000;
    public static final long DELIVERY_TIMEOUT_MS_DEFAULT = 30_000;

    private String name;
    private Kind kind;
    /** This appliance's id in a fleet (issue 12), carried in every forwarded match; null = none. */
    private String applianceId;
    private int batchSize = BATCH_SIZE_DEFAULT;
    private long lingerMs = LINGER_MS_DEFAULT;
    private long backoffInitialMs = BACKOFF_INITIAL_MS_DEFAULT;
    private long backoffMaxMs = BACKOFF_MAX_MS_DEFAULT;
    private long idleSleepMs = IDLE_SLEEP_MS_DEFAULT;
    private Path cursorFile;

    private URI url;
    private long timeoutMs = TIMEOUT_MS_DEFAULT;
    private long connectTimeoutMs = CONNECT_TIMEOUT_MS_DEFAULT;
    private String authHeader;
    private String authValue;
    private Path trustStore;
    private String trustStorePassword;
    private String trustStoreType;

    private String bootstrapServers;
    private String topic;
    private long deliveryTimeoutMs = DELIVERY_TIMEOUT_MS_DEFAULT;
    private final Map<String, String> kafkaProperties = new LinkedHashMap<>();

    public static ForwarderConfig webhook(final String name, final URI url) {
        final ForwarderConfig c = new ForwarderConfig();
        c.name = name;
        c.kind = Kind.WEBHOOK;
        c.url = url;
        return c;
    }

    public static ForwarderConfig kafka(final String name, final String bootstrapServers, final String topic) {
        final ForwarderConfig c = new ForwarderConfig();
        c.name = name;
        c.kind = Kind.KAFKA;
        c.bootstrapServers = bootstrapServers;
        c.topic = topic;
        return c;
    }

    /** Sets the appliance id every forwarded match carries (field {@code appliance}, Kafka header too). */
    public ForwarderConfig applianceId(final String id) {
        if (id != null && !id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("appliance id must be 1 to 64 of A-Z a-z 0-9 . _ -, got " + id);
        }
        this.applianceId = id;
        return this;
    }

    public String applianceId() {
        return applianceId;
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public ForwarderConfig batchSize(final int n) {
        batchSize = n;
        return this;
    }

    public int batchSize() {
        return batchSize;
    }

    public ForwarderConfig lingerMs(final long ms) {
        lingerMs = ms;
        return this;
    }

    public long lingerMs() {
        return lingerMs;
    }

    public ForwarderConfig backoffMs(final long initialMs, final long maxMs) {
        backoffInitialMs = initialMs;
        backoffMaxMs = maxMs;
        return this;
    }

    public long backoffInitialMs() {
        return backoffInitialMs;
    }

    public long backoffMaxMs() {
        return backoffMaxMs;
    }

    public ForwarderConfig idleSleepMs(final long ms) {
        idleSleepMs = ms;
        return this;
    }

    public long idleSleepMs() {
        return idleSleepMs;
    }

    /** Where the cursor is kept; the wiring sets {@code <data>/forward/<name>.cursor}. */
    public ForwarderConfig cursorFile(final Path file) {
        cursorFile = file;
        return this;
    }

    public Path cursorFile() {
        return cursorFile;
    }

    public URI url() {
        return url;
    }

    public ForwarderConfig timeoutMs(final long ms) {
        timeoutMs = ms;
        return this;
    }

    public long timeoutMs() {
        return timeoutMs;
    }

    public ForwarderConfig connectTimeoutMs(final long ms) {
        connectTimeoutMs = ms;
        return this;
    }

    public long connectTimeoutMs() {
        return connectTimeoutMs;
    }

    public ForwarderConfig auth(final String header, final String value) {
        authHeader = header;
        authValue = value;
        return this;
    }

    public String authHeader() {
        return authHeader;
    }

    public String authValue() {
        return authValue;
    }

    /** A PKCS12 or JKS trust store (with its password), or a PEM file of CA certificates (password null). */
    public ForwarderConfig trustStore(final Path file, final String password, final String type) {
        trustStore = file;
        trustStorePassword = password;
        trustStoreType = type;
        return this;
    }

    public Path trustStore() {
        return trustStore;
    }

    public String trustStorePassword() {
        return trustStorePassword;
    }

    public String trustStoreType() {
        return trustStoreType;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String topic() {
        return topic;
    }

    public ForwarderConfig deliveryTimeoutMs(final long ms) {
        deliveryTimeoutMs = ms;
        return this;
    }

    public long deliveryTimeoutMs() {
        return deliveryTimeoutMs;
    }

    public ForwarderConfig kafkaProperty(final String key, final String value) {
        kafkaProperties.put(key, value);
        return this;
    }

    public Map<String, String> kafkaProperties() {
        return kafkaProperties;
    }

    /** The name as a Prometheus name part: '-' becomes '_'. */
    public String metricName() {
        return name.replace('-', '_');
    }

    /** Validates every setting; IllegalArgumentException names the setting at fault. */
    public ForwarderConfig conclude() {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,47}")) {
            throw new IllegalArgumentException("name: must be lower-case letters, digits and '-', at most 48, got " + name);
        }
        if (kind == null) {
            throw new IllegalArgumentException("type: must be webhook or kafka");
        }
        range("batchSize", batchSize, 1, 100_000);
        range("lingerMs", lingerMs, 0, 60_000);
        range("backoff.initialMs", backoffInitialMs, 1, 3_600_000);
        range("backoff.maxMs", backoffMaxMs, backoffInitialMs, 3_600_000);
        range("idleSleepMs", idleSleepMs, 1, 1_000);
        if (cursorFile == null) {
            throw new IllegalArgumentException("cursor: no cursor file set");
        }
        if (kind == Kind.WEBHOOK) {
            if (url == null || url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                || url.getHost() == null) {
                throw new IllegalArgumentException("url: must be an http:// or https:// URL with a host, got " + url);
            }
            range("timeoutMs", timeoutMs, 1, 600_000);
            range("connectTimeoutMs", connectTimeoutMs, 1, 600_000);
            if ((authHeader == null) != (authValue == null)) {
                throw new IllegalArgumentException("auth: needs both header and value");
            }
            if (authHeader != null && !authHeader.matches("[A-Za-z0-9-]+")) {
                throw new IllegalArgumentException("auth.header: not a header name: " + authHeader);
            }
            if (authValue != null && (authValue.indexOf('\r') >= 0 || authValue.indexOf('\n') >= 0)) {
                throw new IllegalArgumentException("auth.value: must be one line");
            }
            if (trustStore != null && url.getScheme().equals("http")) {
                throw new IllegalArgumentException("tls: a trust store with an http:// URL (use https://)");
            }
        } else {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("bootstrapServers: missing (host:port[,host:port...])");
            }
            if (topic == null || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
                throw new IllegalArgumentException("topic: must be 1 to 249 of letters, digits, '.', '_', '-', got " + topic);
            }
            range("deliveryTimeoutMs", deliveryTimeoutMs, 1_000, 3_600_000);
            for (final String k : kafkaProperties.keySet()) {
                if (k.equals("acks") || k.equals("enable.idempotence") || k.startsWith("key.") || k.startsWith("value.")
                    || k.equals("bootstrap.servers") || k.equals("transactional.id")) {
                    throw new IllegalArgumentException("properties." + k + ": set by sigmatch (idempotent producer, acks=all), "
                        + "not configurable");
                }
            }
        }
        return this;
    }

    private static void range(final String key, final long v, final long min, final long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + ": must be from " + min + " to " + max + ", got " + v);
        }
    }
}
