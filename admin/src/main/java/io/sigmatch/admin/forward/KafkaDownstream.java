package io.sigmatch.admin.forward;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.sigmatch.journal.MatchId;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka, for fleets (DESIGN §10): one message per match, the value the JSON line {@code sigmatch journal}
 * prints, keyed by the subscriber (IMSI digits, else MSISDN digits; no key when the match carries
 * neither) so a subscriber's matches stay in order on one partition, and a {@code matchId} header.
 *
 * <p>The producer is idempotent ({@code enable.idempotence=true}, {@code acks=all}): its own retries
 * within {@code delivery.timeout.ms} never duplicate or reorder a message. A batch counts as acknowledged
 * only when every one of its sends completed without error, after {@code flush()}; otherwise the
 * forwarder retries the whole batch later — those re-sends are new messages to Kafka, which is the
 * at-least-once duplicate the match id lets the consumer drop. After a failed batch the producer is
 * closed and a fresh one made, so a producer left in a fatal state (fenced epoch, unknown sequence)
 * cannot wedge the forwarder.
 */
final class KafkaDownstream implements Downstream {
    private final ForwarderConfig config;
    private final Properties properties = new Properties();
    private final StringBuilder digits = new StringBuilder(20);
    private KafkaProducer<byte[], byte[]> producer;

    KafkaDownstream(final ForwarderConfig config) {
        this.config = config;
        properties.putAll(config.kafkaProperties());
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "sigmatch-" + config.name());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        final long delivery = config.deliveryTimeoutMs();
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(delivery));
        // request timeout + linger must not exceed the delivery timeout (the producer refuses otherwise)
        properties.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(500, delivery / 2)));
        // how long send() may block for metadata when no broker answers
        properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.min(delivery, 10_000)));
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    }

    Map<Object, Object> producerProperties() {
        return Map.copyOf(properties);
    }

    @Override
    public void deliver(final Batch batch) throws DeliveryException, InterruptedException {
        if (producer == null) {
            try {
                producer = new KafkaProducer<>(properties);
            } catch (final KafkaException e) {
                throw new DeliveryException("kafka_config", e.getMessage());
            }
        }
        final AtomicInteger failed = new AtomicInteger();
        final AtomicReference<Exception> first = new AtomicReference<>();
        try {
            // A send that finds no broker fails through its callback only after max.block.ms; once one
            // has failed, the batch has failed: sending the rest would hold the forwarder (its lag and
            // retry counts unrefreshed) for up to batchSize x max.block.ms (found by issue 11's broker stop).
            for (int i = 0; i < batch.size() && failed.get() == 0; i++) {
                final ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(config.topic(), null, key(batch.subscriberKey(i)),
                    batch.line(i).toString().getBytes(StandardCharsets.UTF_8));
                r.headers().add("matchId", MatchId.toString(batch.matchIdHigh(i), batch.matchIdLow(i))
                    .getBytes(StandardCharsets.US_ASCII));
                if (config.applianceId() != null) {
                    r.headers().add("appliance", config.applianceId().getBytes(StandardCharsets.US_ASCII));
                }
                producer.send(r, (metadata, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                        first.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        } catch (final KafkaException e) {
            reset();
            throw new DeliveryException("kafka_" + name(e), e.getMessage());
        }
        if (failed.get() > 0) {
            reset();
            throw new DeliveryException("kafka_" + name(first.get()), failed.get() + " of " + batch.size()
                + " sends failed: " + first.get().getMessage());
        }
    }

    private static String name(final Exception e) {
        final String n = e.getClass().getSimpleName();
        final StringBuilder sb = new StringBuilder(n.length() + 4);
        for (int i = 0; i < n.length(); i++) {
            final char c = n.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                sb.append('_');
            }
            sb.append(Character.toLowerCase(c));
        }
        return sb.toString().replace("_exception", "");
    }

    /** The subscriber's digits as the key, null without one (the producer then spreads them). */
    private byte[] key(final long packed) {
        if (packed == 0 || !io.sigmatch.decoder.Digits.isValid(packed)) {
            return null;
        }
        digits.setLength(0);
        io.sigmatch.decoder.Digits.appendTo(packed, digits);
        return digits.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private void reset() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
