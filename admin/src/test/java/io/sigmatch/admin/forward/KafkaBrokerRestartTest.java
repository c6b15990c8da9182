package io.sigmatch.admin.forward;

import static io.sigmatch.admin.forward.DownstreamTroubleTest.appendPaced;
import static io.sigmatch.admin.forward.DownstreamTroubleTest.assertAppendsUnaffected;
import static io.sigmatch.admin.forward.DownstreamTroubleTest.awaitCursor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.sigmatch.decoder.Counters;
import io.sigmatch.journal.MatchJournal;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 4: the Kafka broker (a real KRaft node) is stopped while matches keep being journaled
 * and started again on the same ports and log. The forwarder fails its batch within max.block.ms,
 * counts a retry, shows the lag, and catches up after the restart: every journaled match is on the
 * topic, none lost, duplicates at most the batch in flight at the stop; appends never wait.
 */
class KafkaBrokerRestartTest {
    @TempDir
    Path tmp;

    @Test
    void aKafkaBrokerStoppedAndRestartedLosesNothing() throws Exception {
        final String topic = "sigmatch.trouble";
        final Counters counters = new Counters();
        final Path journalDir = tmp.resolve("journal");
        final Histogram alone = new Histogram(3);
        final Histogram appends = new Histogram(3);
        try (MatchJournal journal = MatchJournal.open(tmp.resolve("baseline"), Journals.config())) {
            appendPaced(journal, 0, 1_000, alone);
        }
        KRaftBroker broker = new KRaftBroker(tmp.resolve("kafka"));
        try (MatchJournal journal = MatchJournal.open(journalDir, Journals.config())) {
            broker.createTopic(topic, 3);
            final ForwarderConfig c = ForwarderConfig.kafka("fleet", broker.bootstrapServers(), topic).batchSize(50)
                .lingerMs(5).deliveryTimeoutMs(2_000).kafkaProperty("max.block.ms", "1000")
                .kafkaProperty("reconnect.backoff.max.ms", "200").backoffMs(50, 300)
                .cursorFile(tmp.resolve("forward/fleet.cursor")).conclude();
            try (Forwarders forwarders = new Forwarders(List.of(c), journalDir, counters)) {
                forwarders.start();
                final Forwarder f = forwarders.list().get(0);
                appendPaced(journal, 0, 500, appends);
                awaitCursor(f, journal, 30);
                assertEquals(journal.lastIndex(), f.cursorIndex(), "delivered before the stop");

                final long t0 = System.nanoTime();
                broker.close();                                // the broker goes away; matches keep coming
                appendPaced(journal, 500, 1_500, appends);
                // down until the forwarder has failed a batch (delivery timeout 2 s) and is backing off
                final long downUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (counters.get("forward.fleet.retries") == 0 && System.nanoTime() < downUntil) {
                    Thread.sleep(20);
                }
                Thread.sleep(400);                             // a lag refresh (every 200 ms) after the failure
                final long retriesWhileDown = counters.get("forward.fleet.retries");
                final long lagWhileDown = f.lagRecords();
                broker = KRaftBroker.restart(tmp.resolve("kafka"), broker);
                final double down = (System.nanoTime() - t0) / 1e9;
                awaitCursor(f, journal, 60);
                System.out.printf("kafka broker down %.1f s: %d retries, lag %d records while down; caught up: cursor %d of %d; "
                    + "appends p99 %.1f us, p99.9 %.1f us%n", down, retriesWhileDown, lagWhileDown, f.cursorIndex(),
                    journal.lastIndex(), appends.getValueAtPercentile(99) / 1e3, appends.getValueAtPercentile(99.9) / 1e3);
                assertTrue(retriesWhileDown > 0, "the stopped broker failed batches, retried");
                assertTrue(lagWhileDown > 0, "the lag grew while the broker was down");
                assertEquals(journal.lastIndex(), f.cursorIndex(), "caught up after the restart");
            }
            final List<String> journaled = Journals.lines(journalDir);
            final Map<String, Integer> times = new HashMap<>();
            for (final ConsumerRecord<byte[], byte[]> r : consumeAll(broker.bootstrapServers(), topic, journaled.size())) {
                times.merge(new String(r.value(), StandardCharsets.UTF_8), 1, Integer::sum);
            }
            final Set<String> lost = new HashSet<>(journaled);
            lost.removeAll(times.keySet());
            final long duplicated = times.values().stream().filter(n -> n > 1).count();
            System.out.printf("kafka restart: journaled %d, on the topic %d distinct, duplicated %d, lost %d%n",
                journaled.size(), times.size(), duplicated, lost.size());
            assertEquals(Set.of(), lost, "nothing journaled is lost");
            assertEquals(Set.copyOf(journaled), times.keySet(), "nothing but journaled matches");
            assertTrue(duplicated <= 50, "duplicates at most the batch in flight at the stop: " + duplicated);
            assertAppendsUnaffected(alone, appends);
        } finally {
            broker.close();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> consumeAll(final String bootstrap, final String topic,
        final int expected) {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            final List<TopicPartition> parts = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
                new TopicPartition(topic, 2));
            c.assign(parts);
            c.seekToBeginning(parts);
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            c.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        return out;
    }
}
