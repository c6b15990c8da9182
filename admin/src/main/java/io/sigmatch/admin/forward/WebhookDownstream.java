package io.sigmatch.admin.forward;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP webhook: each batch is one {@code POST} of JSON Lines ({@code application/x-ndjson}, one
 * match per line exactly as {@code sigmatch journal} prints it), acknowledged by any 2xx answer. Any
 * other status, a timeout, a refused connection or a TLS failure is a {@link DeliveryException} the
 * forwarder retries after its backoff.
 *
 * <p>Built on the JDK's {@link HttpClient} rather than Netty's: the forwarder sends one batch at a time
 * from its own thread and waits for the answer, which is exactly the client's blocking {@code send}
 * with a per-request timeout; batches are few (hundreds of matches each), so Netty's pooled buffers
 * and event loop buy nothing here, while the JDK client brings HTTP/1.1 keep-alive, TLS with a trust
 * store through a plain {@link SSLContext}, hostname verification, and no extra dependency or
 * event-loop lifecycle to manage beside the admin plane's.
 *
 * <p>The auth header's value is a secret: it is sent, never logged, and not in any error message.
 */
final class WebhookDownstream implements Downstream {
    private static final String CONTENT_TYPE = "application/x-ndjson";

    private final ForwarderConfig config;
    private final ExecutorService executor;
    private final HttpClient client;
    private final HttpRequest.Builder template;

    WebhookDownstream(final ForwarderConfig config) throws IOException, GeneralSecurityException {
        this.config = config;
        final AtomicInteger n = new AtomicInteger();
        // the client's own work (TLS, body publishing) on a named daemon thread of ours
        executor = Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "sigmatch-forward-" + config.name() + "-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        final HttpClient.Builder b = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(config.connectTimeoutMs()))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor);
        if (config.trustStore() != null) {
            b.sslContext(sslContext(config.trustStore(), config.trustStorePassword(), config.trustStoreType()));
        }
        client = b.build();
        template = HttpRequest.newBuilder(config.url())
            .timeout(Duration.ofMillis(config.timeoutMs()))
            .header("Content-Type", CONTENT_TYPE)
            .header("User-Agent", "sigmatch-forwarder/" + config.name());
        if (config.authHeader() != null) {
            template.header(config.authHeader(), config.authValue());
        }
    }

    /** A context trusting only the store's certificates: PKCS12/JKS with a password, or PEM CA certificates. */
    static SSLContext sslContext(final Path store, final String password, final String type)
        throws IOException, GeneralSecurityException {
        final KeyStore ks;
        final byte[] bytes = Files.readAllBytes(store);
        if (password == null && new String(bytes, 0, Math.min(bytes.length, 64), java.nio.charset.StandardCharsets.US_ASCII)
            .contains("-----BEGIN")) {
            ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (final Certificate c : CertificateFactory.getInstance("X.509")
                .generateCertificates(new java.io.ByteArrayInputStream(bytes))) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new GeneralSecurityException(store + ": no certificate in the PEM file");
            }
        } else {
            ks = KeyStore.getInstance(type == null ? "PKCS12" : type);
            try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
                ks.load(in, password == null ? null : password.toCharArray());
            }
        }
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        final SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Override
    public void deliver(final Batch batch) throws DeliveryException, InterruptedException {
        final ByteBuffer body = batch.body();
        final HttpRequest request = template.copy()
            .header("X-Sigmatch-Records", Integer.toString(batch.size()))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.array(), body.arrayOffset() + body.position(), body.remaining()))
            .build();
        final HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (final HttpConnectTimeoutException e) {
            throw new DeliveryException("connect_timeout", "connect timed out");
        } catch (final HttpTimeoutException e) {
            throw new DeliveryException("timeout", "no answer within " + config.timeoutMs() + " ms");
        } catch (final ConnectException e) {
            throw new DeliveryException("connect", "connection refused or unreachable");
        } catch (final SSLException e) {
            throw new DeliveryException("tls", "TLS: " + e.getMessage());
        } catch (final IOException e) {
            if (e.getCause() instanceof SSLException || e.getCause() instanceof java.security.cert.CertificateException) {
                throw new DeliveryException("tls", "TLS: " + e.getCause().getMessage());
            }
            throw new DeliveryException("io", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        final int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new DeliveryException("status_" + status, "HTTP " + status);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
