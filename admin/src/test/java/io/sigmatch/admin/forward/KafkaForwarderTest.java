package io.sigmatch.admin.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import io.sigmatch.decoder.Counters;
import io.sigmatch.journal.ForwarderCursor;
import io.sigmatch.journal.MatchJournal;
import org.agrona.concurrent.CachedNanoClock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka forwarder against a real broker: one KRaft node (combined broker and controller) started
 * in this JVM from the Kafka 4.4 server artifact ({@link KRaftBroker}), no mock. Checks the key (IMSI, else MSISDN), the value (the journal
 * JSON line), the matchId header, the producer settings, and that the cursor moves only past what the
 * broker acknowledged.
 */
class KafkaForwarderTest {
    private static final String TOPIC = "sigmatch.matches";
    private static KRaftBroker cluster;

    @TempDir
    static Path kafkaDir;
    @TempDir
    Path tmp;

    @BeforeAll
    static void startBroker() throws Exception {
        final long t0 = System.nanoTime();
        cluster = new KRaftBroker(kafkaDir);
        cluster.createTopic(TOPIC, 3);
        System.out.printf("KRaft broker up in %.1f s at %s%n", (System.nanoTime() - t0) / 1e9, cluster.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> consumeAll(final int expected) {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            final List<TopicPartition> parts = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1),
                new TopicPartition(TOPIC, 2));
            c.assign(parts);
            c.seekToBeginning(parts);
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // anything beyond what was expected (a duplicate) would show within another poll
            c.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        return out;
    }

    @Test
    void matchesArriveKeyedBySubscriberWithTheirMatchIdAndTheCursorFollowsTheAcknowledgements() throws Exception {
        final Counters counters = new Counters();
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        try (MatchJournal journal = MatchJournal.open(tmp.resolve("journal"), Journals.config())) {
            Journals.append(journal, 0, 50);
            final ForwarderConfig c = ForwarderConfig.kafka("fleet", cluster.bootstrapServers(), TOPIC).batchSize(20)
                .lingerMs(0).cursorFile(tmp.resolve("forward/fleet.cursor")).conclude();
            final KafkaDownstream downstream = new KafkaDownstream(c);
            final Map<Object, Object> props = downstream.producerProperties();
            assertEquals("true", props.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
            assertEquals("all", props.get(ProducerConfig.ACKS_CONFIG));
            final Forwarder f = new Forwarder(c, tmp.resolve("journal"), downstream, counters, clock);
            f.open();
            try {
                for (int i = 0; i < 3; i++) {
                    f.doWork();
                }
                assertEquals(0, f.lagRecords());
                assertEquals(f.cursorIndex(), ForwarderCursor.open(tmp.resolve("forward/fleet.cursor")).index());
            } finally {
                f.onClose();
            }
        }
        assertEquals(50, counters.get("forward.fleet.records"));
        assertEquals(3, counters.get("forward.fleet.batches"));
        assertEquals(17, counters.get("rule.r-0.acknowledged"));
        final List<String> journaled = Journals.lines(tmp.resolve("journal"));
        final List<ConsumerRecord<byte[], byte[]>> got = consumeAll(50);
        assertEquals(50, got.size(), "every match once");
        final Map<String, Integer> partitionOfKey = new HashMap<>();
        final Set<String> values = new java.util.HashSet<>();
        for (final ConsumerRecord<byte[], byte[]> r : got) {
            final String value = new String(r.value(), StandardCharsets.UTF_8);
            values.add(value);
            final String matchId = new String(r.headers().lastHeader("matchId").value(), StandardCharsets.US_ASCII);
            assertTrue(value.startsWith("{\"matchId\":\"" + matchId + "\""), value);
            // even matches carry an IMSI (the key), odd ones an MSISDN only
            final String key = new String(r.key(), StandardCharsets.US_ASCII);
            if (value.contains("\"imsi\":")) {
                assertTrue(value.contains("\"imsi\":\"" + key + "\""), key + " " + value);
            } else {
                assertTrue(value.contains("\"msisdn\":\"" + key + "\""), key + " " + value);
            }
            final Integer before = partitionOfKey.put(key, r.partition());
            assertTrue(before == null || before == r.partition());
        }
        assertEquals(Set.copyOf(journaled), values);
        // in order within each partition: journal order
        for (int p = 0; p < 3; p++) {
            final int part = p;
            final List<String> inPartition = got.stream().filter(r -> r.partition() == part)
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
            final List<String> expected = journaled.stream().filter(inPartition::contains).toList();
            assertEquals(expected, inPartition);
        }
    }

    @Test
    void aBrokerThatCannotBeReachedFailsTheBatchAndTheCursorStays() throws Exception {
        final Counters counters = new Counters();
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        final java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        final int port = s.getLocalPort();
        s.close();
        try (MatchJournal journal = MatchJournal.open(tmp.resolve("journal"), Journals.config())) {
            Journals.append(journal, 0, 5);
            final ForwarderConfig c = ForwarderConfig.kafka("nobroker", "127.0.0.1:" + port, TOPIC).batchSize(5)
                .deliveryTimeoutMs(1_000).kafkaProperty("max.block.ms", "500").kafkaProperty("reconnect.backoff.max.ms", "100")
                .cursorFile(tmp.resolve("forward/nobroker.cursor")).conclude();
            final Forwarder f = new Forwarder(c, tmp.resolve("journal"), new KafkaDownstream(c), counters, clock);
            f.open();
            try {
                f.doWork();
                assertEquals(ForwarderCursor.NONE, f.cursorIndex());
                assertEquals(5, f.lagRecords());
                assertEquals(1, counters.get("forward.nobroker.retries"));
                assertEquals(0, counters.get("rule.r-0.acknowledged"));
                assertEquals(2, counters.get("rule.r-0.forwarded"));
                final long[] errors = {0};
                counters.forEach((label, v) -> {
                    if (label.startsWith("forward.nobroker.error.kafka_")) {
                        errors[0] += v;
                    }
                });
                assertEquals(1, errors[0]);
            } finally {
                f.onClose();
            }
        }
    }
}
