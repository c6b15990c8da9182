package io.sigmatch.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.sigmatch.decoder.Counters;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS from PEM files and client certificates, against a real server with certificates made by
 * openssl for the test (a CA, a server certificate for 127.0.0.1, a client certificate). Skipped,
 * saying why, when openssl is not installed.
 */
class TlsTest {
    private static void openssl(final Path dir, final String... args) throws Exception {
        final List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        final Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + "\n" + out);
    }

    private static boolean haveOpenssl() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
        } catch (final IOException | InterruptedException e) {
            return false;
        }
    }

    private static void certificates(final Path d) throws Exception {
        openssl(d, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
            "-subj", "/CN=sigmatch-test-ca");
        Files.writeString(d.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\n");
        openssl(d, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        openssl(d, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
        openssl(d, "pkcs8", "-topk8", "-nocrypt", "-in", "server.key", "-out", "server.pk8");
        openssl(d, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=platform");
        openssl(d, "x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "client.crt", "-days", "2");
        openssl(d, "pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-out", "client.p12", "-passout", "pass:x");
    }

    private static HttpClient client(final Path d, final boolean withCert) throws Exception {
        final KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(d.resolve("ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withCert) {
            final KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(d.resolve("client.p12"))) {
                keys.load(in, "x".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "x".toCharArray());
        }
        final SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static int get(final HttpClient c, final URI uri, final String token) throws Exception {
        final HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void tlsAndClientCertificates(@TempDir final Path d) throws Exception {
        Assumptions.assumeTrue(haveOpenssl(), "openssl not installed: TLS test skipped");
        certificates(d);
        final TokenStore tokens = TokenStore.load(d.resolve("tokens"));
        final String ops = tokens.issue("ops-1", Role.OPS);
        try (AuditLog audit = AuditLog.open(d.resolve("audit.log"))) {
            // TLS, no client certificates
            try (AdminServer s = new AdminServer(new AdminConfig().port(0).tls(d.resolve("server.crt"), d.resolve("server.pk8")),
                tokens, audit, null, new Telemetry(new Counters(), null), () -> true)) {
                final URI base = URI.create("https://127.0.0.1:" + s.start());
                assertEquals(200, get(client(d, false), base.resolve("/metrics"), ops));
                assertEquals(401, get(client(d, false), base.resolve("/metrics"), null));
                // plain HTTP to the TLS port gets no answer
                assertThrows(IOException.class, () -> get(HttpClient.newHttpClient(),
                    URI.create("http://127.0.0.1:" + s.port() + "/health"), null));
            }
            // mutual TLS: a certificate from the CA and a token, both
            try (AdminServer s = new AdminServer(new AdminConfig().port(0).tls(d.resolve("server.crt"), d.resolve("server.pk8"))
                .clientCa(d.resolve("ca.crt")), tokens, audit, null, new Telemetry(new Counters(), null), () -> true)) {
                final URI base = URI.create("https://127.0.0.1:" + s.start());
                assertEquals(200, get(client(d, true), base.resolve("/metrics"), ops));
                assertEquals(401, get(client(d, true), base.resolve("/metrics"), null));
                assertThrows(IOException.class, () -> get(client(d, false), base.resolve("/health"), null));
            }
        }
    }
}
