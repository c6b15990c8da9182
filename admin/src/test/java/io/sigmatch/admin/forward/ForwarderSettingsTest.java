package io.sigmatch.admin.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forwarders: section: every key known, every refusal naming the key's dotted path. */
class ForwarderSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private List<ForwarderConfig> parse(final String json) throws Exception {
        final JsonNode n = JSON.readTree(json);
        return ForwarderSettings.parse(n, tmp, tmp.resolve("data"));
    }

    private String refusal(final String json) {
        return assertThrows(IllegalArgumentException.class, () -> parse(json)).getMessage();
    }

    @Test
    void aWebhookAndAKafkaForwarderWithTheirSettings() throws Exception {
        final Path secret = tmp.resolve("crm.secret");
        Files.writeString(secret, "Bearer abc\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(tmp.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        final List<ForwarderConfig> list = parse("[{\"name\":\"crm\",\"type\":\"webhook\",\"url\":\"https://crm.example/h\","
            + "\"batchSize\":200,\"lingerMs\":10,\"backoff\":{\"initialMs\":50,\"maxMs\":5000},"
            + "\"auth\":{\"valueFile\":\"crm.secret\"},\"tls\":{\"trustStore\":\"ca.pem\"}},"
            + "{\"name\":\"fleet\",\"type\":\"kafka\",\"bootstrapServers\":\"k1:9092\",\"topic\":\"m\","
            + "\"properties\":{\"security.protocol\":\"SSL\",\"linger.ms\":20}}]");
        assertEquals(2, list.size());
        final ForwarderConfig crm = list.get(0);
        assertEquals(ForwarderConfig.Kind.WEBHOOK, crm.kind());
        assertEquals(200, crm.batchSize());
        assertEquals(10, crm.lingerMs());
        assertEquals(50, crm.backoffInitialMs());
        assertEquals(5000, crm.backoffMaxMs());
        assertEquals("Authorization", crm.authHeader());
        assertEquals("Bearer abc", crm.authValue());
        assertEquals(tmp.resolve("ca.pem"), crm.trustStore());
        assertNull(crm.trustStorePassword());
        assertEquals(tmp.resolve("data/forward/crm.cursor"), crm.cursorFile());
        final ForwarderConfig fleet = list.get(1);
        assertEquals(ForwarderConfig.Kind.KAFKA, fleet.kind());
        assertEquals("SSL", fleet.kafkaProperties().get("security.protocol"));
        assertEquals("20", fleet.kafkaProperties().get("linger.ms"));
        assertEquals(ForwarderConfig.BATCH_SIZE_DEFAULT, fleet.batchSize());
        assertEquals(List.of(), parse("null"));
    }

    @Test
    void refusalsNameTheKey() throws Exception {
        assertTrue(refusal("{}").startsWith("forwarders: must be a list"));
        assertTrue(refusal("[{\"name\":\"a\",\"type\":\"smtp\"}]").startsWith("forwarders[0].type: must be webhook or kafka"));
        assertTrue(refusal("[{\"type\":\"webhook\"}]").startsWith("forwarders[0].name: missing"));
        assertTrue(refusal("[{\"name\":\"A b\",\"type\":\"webhook\",\"url\":\"http://h/\"}]").startsWith("forwarders[0].name: must be"));
        assertTrue(refusal("[{\"name\":\"a\",\"type\":\"webhook\"}]").startsWith("forwarders[0].url: missing"));
        assertTrue(refusal("[{\"name\":\"a\",\"type\":\"webhook\",\"url\":\"ftp://h/\"}]").startsWith("forwarders[0].url: must be"));
        assertTrue(refusal("[{\"name\":\"a\",\"type\":\"webhook\",\"url\":\"http://h/\",\"batchSize\":0}]")
            .startsWith("forwarders[0].batchSize: must be from 1 to 100000, got 0"));
        assertTrue(refusal("[{\"name\":\"a\",\"type\":\"webhook\",\"url\":\"http://h/\",\"topic\":\"t\"}]")
            .startsWith("forwarders[0].topic: unknown key (known here: auth, backoff, batchSize,"));
        assertTrue(refusal("[{\"name\":\"a\",\"type\":\"webhook\",\"url\":\"http://h/\",\"backoff\":{\"initialMs\":500,\"maxMs\":100}}]")
            .startsWith("forwarders[0].backoff.maxMs: must be from 500"));
        assertTrue(refusal("[{\"name\":\"a\",\"type\":\"webhook\",\"url\":\"http://h/\",\"auth\":{\"header\":\"X\"}}]")
            .startsWith("forwarders[0].auth: needs exactly one of value and valueFile"));
        assertTrue(refusal("[{\"name\":\"a\",\"type\":\"webhook\",\"url\":\"http://h/\",\"tls\":{\"trustStore\":\"nope.p12\"}}]")
            .startsWith("forwarders[0].tls.trustStore: cannot read"));
        assertTrue(refusal("[{\"name\":\"a\",\"type\":\"webhook\",\"url\":\"http://h/\"},{\"name\":\"a\",\"type\":\"webhook\","
            + "\"url\":\"http://h/\"}]").startsWith("forwarders[1].name: a is used twice"));
        assertTrue(refusal("[{\"name\":\"k\",\"type\":\"kafka\",\"bootstrapServers\":\"k:9092\",\"topic\":\"t\","
            + "\"properties\":{\"acks\":\"1\"}}]").startsWith("forwarders[0].properties.acks: set by sigmatch"));
        assertTrue(refusal("[{\"name\":\"k\",\"type\":\"kafka\",\"topic\":\"t\"}]").startsWith("forwarders[0].bootstrapServers: missing"));
        // a secret readable by others is refused
        final Path secret = tmp.resolve("open.secret");
        Files.writeString(secret, "Bearer abc\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        final String m = refusal("[{\"name\":\"a\",\"type\":\"webhook\",\"url\":\"http://h/\",\"auth\":{\"valueFile\":\"open.secret\"}}]");
        assertTrue(m.startsWith("forwarders[0].auth.valueFile:") && m.contains("owner-only"), m);
        assertTrue(!m.contains("abc"), "the secret is not in the message");
    }
}
