package io.sigmatch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import io.sigmatch.admin.TokenStore;
import io.sigmatch.admin.forward.KRaftBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.capture.CaptureFileReader;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.capture.LinkType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of three appliances on one machine (issue 12 item 4): one generated traffic set is split the
 * way three probes would see it — each probe taps one MME's links (S11 GTPv2-C and S6a Diameter;
 * the generator puts MME 1 untagged, MME 2 on VLAN 100, MME 3 on QinQ 200/300, and a subscriber stays
 * on its MME) — and each appliance replays its own share. The fleet's matches together equal the
 * generator's ground truth for the whole set: none missing, none extra, none journaled twice.
 * Every appliance forwards its matches to one Kafka topic (a real KRaft broker started here), keyed
 * by subscriber and stamped with its appliance id (issue 12 item 1): the platform consuming that
 * topic gets the whole fleet's matches, each subscriber's in capture order on one partition.
 */
class FleetOnOneMachineTest {
    private static final int PROBES = 3;
    private static final String TOPIC = "sigmatch.fleet.matches";

    @TempDir
    Path tmp;

    /** Which probe taps the frame's link: by its outer VLAN tag (DESIGN's probes sit on the MME links). */
    private static int probeOf(final Frame f) {
        final int etherType = f.buffer.getUnsignedShort(f.offset + 12);
        if (etherType == 0x88A8) {
            return 2;
        }
        return etherType == 0x8100 ? 1 : 0;
    }

    /** Nanosecond pcap writer for one probe's share (the frames as captured, Ethernet). */
    private static final class PcapOut implements AutoCloseable {
        private final OutputStream out;
        private final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        private final byte[] bytes = new byte[CaptureFileReader.MAX_RECORD_BYTES];
        long frames;

        PcapOut(final Path file) throws IOException {
            out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            final ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xA1B23C4D).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262_144)
                .putInt(LinkType.ETHERNET);
            out.write(h.array());
        }

        void write(final Frame f) throws IOException {
            header.clear();
            header.putInt((int) (f.timeNs / 1_000_000_000L)).putInt((int) (f.timeNs % 1_000_000_000L))
                .putInt(f.capturedLength).putInt(f.originalLength);
            out.write(header.array());
            f.buffer.getBytes(f.offset, bytes, 0, f.capturedLength);
            out.write(bytes, 0, f.capturedLength);
            frames++;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    @Test
    void threeProbesTogetherJournalExactlyTheGroundTruth() throws Exception {
        final Path gen = tmp.resolve("gen");
        GeneratedTrafficEndToEndTest.generate(gen, 300, 6, 23, "basic", "pcap", "gtpv2,diameter");
        final List<Path> captures = new ArrayList<>();
        try (var files = Files.list(gen.resolve("capture"))) {
            files.sorted().forEach(captures::add);
        }

        // split the capture by link, as the three probes' mirror ports would deliver it
        final PcapOut[] shares = new PcapOut[PROBES];
        for (int p = 0; p < PROBES; p++) {
            shares[p] = new PcapOut(tmp.resolve("probe-" + p + ".pcap"));
        }
        final Counters counters = new Counters();
        try {
            for (final Path c : captures) {
                try (CaptureFileReader reader = CaptureFileReader.open(c, counters)) {
                    reader.readAll(f -> {
                        assertEquals(LinkType.ETHERNET, f.linkType);
                        try {
                            shares[probeOf(f)].write(f);
                        } catch (final IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                }
            }
        } finally {
            for (final PcapOut s : shares) {
                s.close();
            }
        }
        for (final PcapOut s : shares) {
            assertTrue(s.frames > 100, "every probe sees traffic: " + s.frames);
        }

        // three appliances, each on its share, the same snapshot, one Kafka topic for the fleet
        final List<String> journaled = new ArrayList<>();
        final long[] matchesPerProbe = new long[PROBES];
        final Map<String, String> applianceOfMatch = new HashMap<>();
        final List<ConsumerRecord<String, String>> consumed = new ArrayList<>();
        try (KRaftBroker kafka = new KRaftBroker(Files.createDirectories(tmp.resolve("kafka")))) {
            kafka.createTopic(TOPIC, 3);
            for (int p = 0; p < PROBES; p++) {
                final Path yaml = Files.writeString(tmp.resolve("probe-" + p + ".yaml"),
                    "appliance:\n  id: probe-" + p + "\n"
                        + "capture:\n  files: [" + tmp.resolve("probe-" + p + ".pcap") + "]\n"
                        + "data:\n  dir: " + tmp.resolve("data-" + p) + "\n"
                        + "rules: " + gen.resolve("rules.json") + "\n"
                        + "admin:\n  enabled: false\n"
                        + "forwarders:\n  - name: fleet\n    type: kafka\n    bootstrapServers: " + kafka.bootstrapServers()
                        + "\n    topic: " + TOPIC + "\n    batchSize: 500\n");
                final Appliance a = Appliance.start(ApplianceConfig.load(yaml), TokenStore.load(tmp.resolve("no-tokens")));
                try {
                    a.awaitIntake();
                    assertTrue(a.awaitForwarded(60_000), "probe-" + p + " forwarded everything");
                } finally {
                    a.close();
                }
                final StringWriter w = new StringWriter();
                JournalCommand.print(tmp.resolve("data-" + p + "/journal"), w);
                for (final String line : w.toString().lines().toList()) {
                    applianceOfMatch.put(line.replaceAll(".*\"matchId\":\"([^\"]*)\".*", "$1"), "probe-" + p);
                }
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "campaign-platform",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
                consumer.subscribe(List.of(TOPIC));
                final long deadline = System.nanoTime() + 60_000_000_000L;
                while (consumed.size() < applianceOfMatch.size() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(consumed::add);
                }
            }
        }
        // the topic: every journaled match once, with the appliance that saw it; per subscriber one
        // partition and capture order
        final Map<String, Integer> partitionOf = new HashMap<>();
        final Map<String, Long> lastTime = new HashMap<>();
        final java.util.Set<String> seen = new java.util.HashSet<>();
        final java.util.Map<String, Integer> perAppliance = new java.util.TreeMap<>();
        for (final ConsumerRecord<String, String> r : consumed) {
            final String id = new String(r.headers().lastHeader("matchId").value(), StandardCharsets.US_ASCII);
            final String appliance = new String(r.headers().lastHeader("appliance").value(), StandardCharsets.US_ASCII);
            assertTrue(seen.add(id), "match " + id + " twice on the topic");
            assertEquals(applianceOfMatch.get(id), appliance, id);
            assertTrue(r.value().endsWith(",\"appliance\":\"" + appliance + "\"}"), r.value());
            perAppliance.merge(appliance, 1, Integer::sum);
            if (r.key() != null) {
                assertEquals(partitionOf.computeIfAbsent(r.key(), k -> r.partition()), r.partition(), "one partition per subscriber");
                final long t = Long.parseLong(r.value().replaceAll(".*\"time\":\"([0-9]+)\\.([0-9]{9})\".*", "$1$2"));
                final Long before = lastTime.put(r.key(), t);
                assertTrue(before == null || before <= t, "subscriber " + r.key() + " out of capture order");
            }
        }
        assertEquals(applianceOfMatch.keySet(), seen, "the topic has every journaled match of the fleet");
        System.out.printf("fleet topic: %d matches from %s, %d subscribers over 3 partitions%n", consumed.size(), perAppliance,
            partitionOf.size());
        for (int p = 0; p < PROBES; p++) {
            {
            }
            final StringWriter w = new StringWriter();
            matchesPerProbe[p] = JournalCommand.print(tmp.resolve("data-" + p + "/journal"), w);
            journaled.addAll(w.toString().lines().toList());
        }

        final TreeSet<String> expected = GeneratedTrafficEndToEndTest.keys(
            Files.readAllLines(gen.resolve("expected-matches.jsonl"), StandardCharsets.UTF_8));
        final TreeSet<String> produced = GeneratedTrafficEndToEndTest.keys(journaled);
        final int duplicated = journaled.size() - produced.size();
        final TreeSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(produced);
        final TreeSet<String> extra = new TreeSet<>(produced);
        extra.removeAll(expected);
        System.out.printf("fleet of %d: expected %d, produced %d (per probe %d/%d/%d), missing %d, extra %d, duplicated %d%n",
            PROBES, expected.size(), produced.size(), matchesPerProbe[0], matchesPerProbe[1], matchesPerProbe[2],
            missing.size(), extra.size(), duplicated);
        assertTrue(expected.size() > 100, "a scenario this size expects matches: " + expected.size());
        assertTrue(missing.isEmpty(), "missing " + missing.stream().limit(5).toList());
        assertTrue(extra.isEmpty(), "extra " + extra.stream().limit(5).toList());
        assertEquals(0, duplicated);
        for (final long m : matchesPerProbe) {
            assertTrue(m > 0, "each probe matched its subscribers");
        }
    }
}
