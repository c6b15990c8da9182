package io.sigmatch.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin plane's limits, each pushed past over a real connection. */
class LimitsTest {
    @Test
    void configRefusesBadLimitsByName() {
        assertMessage("admin.maxConnections", () -> new AdminConfig().maxConnections(0).conclude());
        assertMessage("admin.port", () -> new AdminConfig().port(70000).conclude());
        assertMessage("admin.requestsPerSecond", () -> new AdminConfig().requestsPerSecond(0).conclude());
        assertMessage("admin.maxHeaderBytes", () -> new AdminConfig().maxHeaderBytes(10).conclude());
        assertMessage("admin.tls", () -> new AdminConfig().tls(Path.of("c.pem"), null).conclude());
        assertMessage("admin.tls.clientCa", () -> new AdminConfig().clientCa(Path.of("ca.pem")).conclude());
        assertEquals("127.0.0.1", new AdminConfig().conclude().bind());
    }

    private static void assertMessage(final String name, final org.junit.jupiter.api.function.Executable e) {
        final IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().startsWith(name), x.getMessage());
    }

    /** Sends raw bytes and returns the status line of the answer. */
    private static String raw(final int port, final String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            final OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final InputStream in = s.getInputStream();
            final StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                sb.append((char) c);
            }
            return sb.toString().trim();
        }
    }

    @Test
    void requestLineHeadersAndBodiesAreBounded(@TempDir final Path dir) throws Exception {
        try (AdminFixture f = new AdminFixture(dir, new AdminConfig().maxRequestLineBytes(512).maxHeaderBytes(2048)
            .maxJsonBodyBytes(4096).maxUploadBytes(8192).requestsPerSecond(1000).burst(1000))) {
            final int port = f.server.port();
            assertEquals("HTTP/1.1 414 Request-URI Too Long", raw(port, "GET /" + "a".repeat(1000) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertEquals("HTTP/1.1 431 Request Header Fields Too Large",
                raw(port, "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(4000) + "\r\n\r\n"));
            // a rules document over maxJsonBodyBytes, declared up front and streamed without a length
            assertEquals(413, f.put("/snapshots/x/rules", f.platform, new byte[5000]).statusCode());
            assertEquals(413, f.send("PUT", "/snapshots/x/lists/l.txt", f.platform,
                java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[9000])))
                .statusCode());
            // a gzip bomb is counted after gunzip: 1 MB of zeros compresses to about 1 KB
            final java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(z)) {
                gz.write(new byte[1 << 20]);
            }
            assertEquals(413, f.put("/snapshots/x/lists/bomb.txt", f.platform, z.toByteArray(), "Content-Encoding", "gzip")
                .statusCode());
            // nothing partial is left behind
            try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(f.snapshots.root())) {
                assertTrue(s.noneMatch(p -> p.toString().endsWith(".part")));
            }
            // the server still answers
            assertEquals(200, f.get("/health", null).statusCode());
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosed(@TempDir final Path dir) throws Exception {
        try (AdminFixture f = new AdminFixture(dir, new AdminConfig().maxConnections(2).requestsPerSecond(1000).burst(1000))) {
            final List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    held.add(new Socket("127.0.0.1", f.server.port()));
                }
                // wait until the server has accepted both
                for (int i = 0; i < 100 && f.server.stats().connections() < 2; i++) {
                    Thread.sleep(10);
                }
                try (Socket third = new Socket("127.0.0.1", f.server.port())) {
                    third.setSoTimeout(5000);
                    third.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertEquals(-1, third.getInputStream().read(), "the third connection is closed unanswered");
                }
                assertEquals(1, f.server.stats().connectionsRefused());
            } finally {
                for (final Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void callersPastTheirRateGet429(@TempDir final Path dir) throws Exception {
        try (AdminFixture f = new AdminFixture(dir, new AdminConfig().requestsPerSecond(1).burst(5))) {
            int ok = 0;
            int limited = 0;
            for (int i = 0; i < 10; i++) {
                final int s = f.get("/metrics", f.ops).statusCode();
                ok += s == 200 ? 1 : 0;
                limited += s == 429 ? 1 : 0;
            }
            assertTrue(ok >= 5 && ok <= 6, "burst of 5 (+1 refilled at most): " + ok);
            assertEquals(10 - ok, limited);
            // another token has its own bucket
            assertEquals(200, f.get("/metrics", f.platform).statusCode());
            // so do guesses without a valid token: they run out too
            int guesses401 = 0;
            for (int i = 0; i < 10; i++) {
                guesses401 += f.get("/metrics", "smt_guess" + i).statusCode() == 401 ? 1 : 0;
            }
            assertTrue(guesses401 <= 6, "bad tokens are rate-limited by address: " + guesses401);
        }
    }
}
