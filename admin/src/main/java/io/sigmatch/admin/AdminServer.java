package io.sigmatch.admin;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP plane (DESIGN §6) on Netty: snapshots in, health out, bearer tokens with roles on
 * every call that reads or changes subscriber data or configuration.
 *
 * <pre>
 *   try (AdminServer admin = new AdminServer(config, tokens, audit, snapshots, telemetry, ready)) {
 *       int port = admin.start();    // bound on config.bind() (127.0.0.1 by default)
 *       ...
 *   }                                // stops accepting, closes connections, waits for the threads
 * </pre>
 *
 * <p>Threads: {@code sigmatch-admin-io-N} parse HTTP and stream uploads to disk (page-cache writes,
 * so a connection's reads wait for its writes: back-pressure without buffering); one
 * {@code sigmatch-admin-work} thread runs whatever may block for long — fsync of an upload,
 * validation and activation of a snapshot, token and audit writes — so the network threads keep
 * answering health and metrics while a 100 M-line list loads. Endpoints and roles are in
 * {@link AdminHandler}.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    final AdminConfig config;
    final TokenStore tokens;
    final AuditLog audit;
    final SnapshotStore snapshots;
    final Telemetry telemetry;
    final BooleanSupplier ready;
    final AdminStats stats = new AdminStats();
    final RateLimiter limiter;
    final byte[] statusPage;
    private final SslContext ssl;
    private EventLoopGroup boss;
    private EventLoopGroup io;
    final ThreadPoolExecutor work;
    private Channel server;
    private volatile boolean closed;
    private volatile Path matchJournal;
    private volatile Outcomes outcomes;
    /** One thread per open match tail, at most MAX_TAILS. */
    static final int MAX_TAILS = 8;
    final ThreadPoolExecutor tails = new ThreadPoolExecutor(0, MAX_TAILS, 10, TimeUnit.SECONDS,
        new java.util.concurrent.SynchronousQueue<>(), new DefaultThreadFactory("sigmatch-admin-tail", true));

    /**
     * snapshots may be null (no snapshot endpoints); ready says whether the appliance is ready to
     * serve (pipeline started, a rule set active) for {@code /health/ready}.
     */
    public AdminServer(final AdminConfig config, final TokenStore tokens, final AuditLog audit,
        final SnapshotStore snapshots, final Telemetry telemetry, final BooleanSupplier ready) throws IOException {
        this.config = config.conclude();
        this.tokens = tokens;
        this.audit = audit;
        this.snapshots = snapshots;
        this.telemetry = telemetry;
        this.ready = ready;
        this.limiter = new RateLimiter(config.requestsPerSecond(), config.burst(), System::nanoTime, 10_000);
        try (InputStream in = AdminServer.class.getResourceAsStream("status.html")) {
            if (in == null) {
                throw new IOException("status.html missing from the admin jar");
            }
            statusPage = in.readAllBytes();
        }
        if (config.tlsCert() != null) {
            final SslContextBuilder b = SslContextBuilder.forServer(readable(config.tlsCert()).toFile(),
                readable(config.tlsKey()).toFile());
            if (config.clientCa() != null) {
                b.trustManager(readable(config.clientCa()).toFile()).clientAuth(ClientAuth.REQUIRE);
            }
            ssl = b.build();
        } else {
            ssl = null;
        }
        work = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(64),
            new DefaultThreadFactory("sigmatch-admin-work", true));
    }

    private static Path readable(final Path p) throws IOException {
        if (!Files.isReadable(p)) {
            throw new IOException("admin.tls: cannot read " + p);
        }
        return p;
    }

    /** Serves the match journal in dir as {@code GET /matches} (platform role); without it that endpoint is 404. */
    public AdminServer matches(final Path journalDir) {
        this.matchJournal = journalDir;
        return this;
    }

    /** Records outcomes posted to {@code POST /outcomes} (platform role); without it that endpoint is 404. */
    public AdminServer outcomes(final Outcomes o) {
        this.outcomes = o;
        return this;
    }

    Outcomes outcomes() {
        return outcomes;
    }

    Path matchJournal() {
        return matchJournal;
    }

    boolean closing() {
        return closed;
    }

    /** Starts a tail; false when MAX_TAILS are open already. */
    boolean tail(final Runnable tail) {
        try {
            tails.execute(tail);
            return true;
        } catch (final RejectedExecutionException e) {
            return false;
        }
    }

    /** Binds and starts serving; returns the port (the chosen one when the config says 0). */
    public synchronized int start() throws InterruptedException {
        if (server != null || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sigmatch-admin-accept", true),
            NioIoHandler.newFactory());
        io = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("sigmatch-admin-io", true),
            NioIoHandler.newFactory());
        final ServerBootstrap b = new ServerBootstrap()
            .group(boss, io)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 128)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(final SocketChannel ch) {
                    if (stats.connections.incrementAndGet() > config.maxConnections()) {
                        stats.connections.decrementAndGet();
                        stats.connectionsRefused.increment();
                        ch.close();
                        return;
                    }
                    ch.closeFuture().addListener(f -> stats.connections.decrementAndGet());
                    final ChannelPipeline p = ch.pipeline();
                    if (ssl != null) {
                        p.addLast("tls", ssl.newHandler(ch.alloc()));
                    }
                    p.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeoutSeconds()));
                    p.addLast("http", new HttpServerCodec(config.maxRequestLineBytes(), config.maxHeaderBytes(), 64 * 1024));
                    p.addLast("encoding", new AdminHandler.EncodingNote());
                    // inflated output per request chunk is bounded (a 64 KiB chunk may grow 256 times); the total
                    // is bounded by maxUploadBytes in the handler, counted after inflation
                    p.addLast("gunzip", new HttpContentDecompressor(16 << 20));
                    p.addLast("continue", new HttpServerExpectContinueHandler());
                    p.addLast("keepalive", new HttpServerKeepAliveHandler());
                    p.addLast("admin", new AdminHandler(AdminServer.this));
                }
            });
        try {
            server = b.bind(config.bind(), config.port()).sync().channel();
        } catch (final Exception e) {
            // includes the BindException Netty rethrows unchecked: the threads must not outlive a failed start
            close();
            throw e;
        }
        final int port = port();
        LOG.info("admin plane listening on {}://{}:{}", ssl != null ? "https" : "http", config.bind(), port);
        return port;
    }

    /** The bound port; -1 before start. */
    public int port() {
        return server == null ? -1 : ((InetSocketAddress) server.localAddress()).getPort();
    }

    public boolean tls() {
        return ssl != null;
    }

    public AdminStats stats() {
        return stats;
    }

    /** Runs blocking work off the network threads; false when the queue is full. */
    boolean submit(final Runnable task) {
        try {
            work.execute(task);
            return true;
        } catch (final RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (io != null) {
            io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        tails.shutdown();
        work.shutdown();
        try {
            if (!work.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("admin work thread still busy after 30 s");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("admin plane stopped");
    }

    static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
