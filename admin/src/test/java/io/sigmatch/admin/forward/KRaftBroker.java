package io.sigmatch.admin.forward;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka 4.4 node in this JVM, KRaft mode, broker and controller combined, on loopback ports:
 * the log directory is formatted with Kafka's own {@code kafka-storage format} ({@link StorageTool}),
 * then {@link KafkaRaftServer} starts — what {@code kafka-server-start.sh} does, without a child JVM.
 */
public final class KRaftBroker implements AutoCloseable {
    private final KafkaRaftServer server;
    private final String bootstrap;
    private final int brokerPort;
    private final int controllerPort;

    public KRaftBroker(final Path dir) throws Exception {
        this(dir, freePort(), freePort());
    }

    /**
     * The same node started again after {@link #close()}: same ports, same log directory (not
     * formatted again), so clients configured with the old bootstrap address reconnect to it.
     */
    public static KRaftBroker restart(final Path dir, final KRaftBroker stopped) throws Exception {
        return new KRaftBroker(dir, stopped.brokerPort, stopped.controllerPort);
    }

    private KRaftBroker(final Path dir, final int broker, final int controller) throws Exception {
        brokerPort = broker;
        controllerPort = controller;
        bootstrap = "127.0.0.1:" + broker;
        Files.createDirectories(dir);
        final Map<String, String> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + broker + ",CONTROLLER://127.0.0.1:" + controller);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + broker);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.resolve("log").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "3");
        p.put("auto.create.topics.enable", "false");
        final Path props = dir.resolve("server.properties");
        final Properties file = new Properties();
        file.putAll(p);
        try (var out = Files.newOutputStream(props)) {
            file.store(out, "sigmatch test broker");
        }
        final ByteArrayOutputStream log = new ByteArrayOutputStream();
        final int rc = Files.exists(dir.resolve("log/meta.properties")) ? 0 : StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", props.toString()},
            new PrintStream(log, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("kafka-storage format: " + log.toString(StandardCharsets.UTF_8));
        }
        server = new KafkaRaftServer(new KafkaConfig(p), Time.SYSTEM);
        server.startup();
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** Creates the topic, which also waits until the broker has joined and serves requests. */
    public void createTopic(final String name, final int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private boolean closed;

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }
}
