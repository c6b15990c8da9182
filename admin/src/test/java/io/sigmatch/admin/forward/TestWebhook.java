package io.sigmatch.admin.forward;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.IntSupplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A downstream for the tests: the JDK's HTTP server on 127.0.0.1, recording every POST it answered
 * 2xx (its lines and headers) and answering with the status its supplier gives, after an optional delay.
 */
final class TestWebhook implements AutoCloseable {
    record Post(List<String> lines, String contentType, String auth, int status) {
    }

    final ConcurrentLinkedQueue<Post> posts = new ConcurrentLinkedQueue<>();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    volatile IntSupplier status = () -> 200;
    volatile long delayMs;

    TestWebhook() throws IOException {
        this(null);
    }

    TestWebhook(final javax.net.ssl.SSLContext tls) throws IOException {
        if (tls == null) {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } else {
            final HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            s.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = s;
        }
        server.createContext("/hook", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI uri() {
        return URI.create((server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort()
            + "/hook");
    }

    private void handle(final HttpExchange x) throws IOException {
        final byte[] body;
        try (InputStream in = x.getRequestBody()) {
            body = in.readAllBytes();
        }
        final int code = status.getAsInt();
        if (delayMs > 0) {
            try {
                Thread.sleep(delayMs);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        final List<String> lines = new ArrayList<>(new String(body, StandardCharsets.UTF_8).lines().toList());
        posts.add(new Post(lines, x.getRequestHeaders().getFirst("Content-Type"), x.getRequestHeaders().getFirst("Authorization"),
            code));
        x.sendResponseHeaders(code, -1);
        x.close();
    }

    /** Lines of every POST answered 2xx, in arrival order. */
    List<String> acknowledgedLines() {
        final List<String> all = new ArrayList<>();
        for (final Post p : posts) {
            if (p.status >= 200 && p.status < 300) {
                all.addAll(p.lines);
            }
        }
        return all;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
