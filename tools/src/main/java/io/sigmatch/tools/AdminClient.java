package io.sigmatch.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The platform side of the admin plane, for {@code push} and {@code status}: a bearer token read from
 * an owner-only file, HTTPS trusting an extra CA when given, and errors turned into one line that
 * carries the appliance's reason (file, line, path).
 */
final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final String token;
    private final HttpClient http;

    AdminClient(final String url, final Path tokenFile, final Path ca) throws Exception {
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.token = tokenFile == null ? null : readToken(tokenFile);
        final HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (ca != null) {
            final KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            try (InputStream in = Files.newInputStream(ca)) {
                int i = 0;
                for (final var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    ks.setCertificateEntry("ca" + i++, cert);
                }
            }
            final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            final SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            b.sslContext(ssl);
        }
        http = b.build();
    }

    static String readToken(final Path file) throws IOException {
        try {
            final Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new IOException(file + ": a token file must be owner-only (chmod 600)");
            }
        } catch (final UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        final String t = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (t.isEmpty() || t.contains("\n") || t.contains(" ")) {
            throw new IOException(file + ": expected one token on one line");
        }
        return t;
    }

    JsonNode send(final String method, final String path, final HttpRequest.BodyPublisher body, final String... headers)
        throws IOException, InterruptedException {
        final HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(30))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        final HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode n;
        try {
            n = JSON.readTree(r.body());
        } catch (final IOException e) {
            n = JSON.createObjectNode().put("error", r.body());
        }
        if (r.statusCode() >= 300) {
            final StringBuilder sb = new StringBuilder(method + " " + path + ": HTTP " + r.statusCode());
            if (n != null && n.has("error")) {
                sb.append(": ").append(n.get("error").asText());
            }
            throw new Refused(r.statusCode(), sb.toString());
        }
        return n;
    }

    /** The appliance answered, and refused (HTTP status 300 and above); other IOExceptions mean it did not answer. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(final int status, final String message) {
            super(message);
            this.status = status;
        }
    }

    /** A file as a request body: as it is, or gzip-compressed on the fly (Content-Encoding: gzip). */
    static HttpRequest.BodyPublisher file(final Path f, final boolean gzip) throws IOException {
        if (!gzip) {
            return HttpRequest.BodyPublishers.ofFile(f);
        }
        return HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                final PipedInputStream in = new PipedInputStream(1 << 16);
                final PipedOutputStream out = new PipedOutputStream(in);
                final Thread t = new Thread(() -> {
                    try (OutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
                        Files.copy(f, gz);
                    } catch (final IOException e) {
                        // the reader sees the stream end early; the server refuses the short body
                    }
                }, "sigmatch-push-gzip");
                t.setDaemon(true);
                t.start();
                return in;
            } catch (final IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
