package io.sigmatch.admin.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import io.sigmatch.decoder.Counters;
import io.sigmatch.journal.ForwarderCursor;
import io.sigmatch.journal.MatchJournal;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook over TLS against an HTTPS server whose certificate (for IP 127.0.0.1) keytool makes for
 * the test: trusted through a PEM file or a PKCS12 trust store it is delivered; with the JDK's default
 * CAs (which do not know it) the handshake fails, is counted as {@code error.tls} and nothing moves.
 */
class WebhookTlsTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    Path tmp;

    private void keytool(final String... args) throws Exception {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        final Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + "\n" + out);
    }

    private SSLContext serverContext() throws Exception {
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
            "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", "server.p12", "-storetype", "PKCS12",
            "-storepass", PASSWORD);
        keytool("-exportcert", "-alias", "server", "-rfc", "-file", "server.pem", "-keystore", "server.p12", "-storepass", PASSWORD);
        keytool("-importcert", "-alias", "server", "-file", "server.pem", "-noprompt", "-keystore", "trust.p12",
            "-storetype", "PKCS12", "-storepass", PASSWORD);
        final KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tmp.resolve("server.p12"))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        final SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private long forward(final Counters counters, final ForwarderConfig c) throws Exception {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        final Forwarder f = new Forwarder(c, tmp.resolve("journal"), Forwarders.downstream(c), counters, clock);
        f.open();
        try {
            f.doWork();
            return f.cursorIndex();
        } finally {
            f.onClose();
        }
    }

    @Test
    void trustedThroughAPemFileOrAPkcs12StoreDeliveredOtherwiseRefusedAndCounted() throws Exception {
        final Counters counters = new Counters();
        try (MatchJournal journal = MatchJournal.open(tmp.resolve("journal"), Journals.config());
             TestWebhook hook = new TestWebhook(serverContext())) {
            Journals.append(journal, 0, 4);
            final long last = journal.lastIndex();
            // the JDK's default CAs do not know the test certificate
            final ForwarderConfig untrusted = ForwarderConfig.webhook("untrusted", hook.uri()).batchSize(4)
                .cursorFile(tmp.resolve("forward/untrusted.cursor")).conclude();
            assertEquals(ForwarderCursor.NONE, forward(counters, untrusted));
            assertEquals(1, counters.get("forward.untrusted.error.tls"));
            assertEquals(0, hook.posts.size());

            final ForwarderConfig pem = ForwarderConfig.webhook("pem", hook.uri()).batchSize(4)
                .trustStore(tmp.resolve("server.pem"), null, null).cursorFile(tmp.resolve("forward/pem.cursor")).conclude();
            assertEquals(last, forward(counters, pem));

            final ForwarderConfig p12 = ForwarderConfig.webhook("p12", hook.uri()).batchSize(4)
                .trustStore(tmp.resolve("trust.p12"), PASSWORD, "PKCS12").cursorFile(tmp.resolve("forward/p12.cursor")).conclude();
            assertEquals(last, forward(counters, p12));
            assertEquals(2, hook.posts.size());
            assertEquals(Journals.lines(tmp.resolve("journal")), hook.posts.peek().lines());
        }
    }
}
