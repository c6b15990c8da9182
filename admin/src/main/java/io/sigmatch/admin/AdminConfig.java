package io.sigmatch.admin;

import java.nio.file.Path;

/**
 * Limits and settings of the admin plane, validated by {@link #conclude()} (the server calls it):
 * every limit has a safe default and a bad value is refused with the setting's name and why.
 *
 * <table>
 *   <tr><th>setting</th><th>default</th><th>what it bounds</th></tr>
 *   <tr><td>bind / port</td><td>127.0.0.1 / 7443</td><td>loopback only unless told otherwise; port 0 = any free port</td></tr>
 *   <tr><td>maxRequestLineBytes</td><td>4096</td><td>method + path + version</td></tr>
 *   <tr><td>maxHeaderBytes</td><td>8192</td><td>all headers of one request</td></tr>
 *   <tr><td>maxJsonBodyBytes</td><td>16 MiB</td><td>bodies held in memory (rules JSON, token requests)</td></tr>
 *   <tr><td>maxUploadBytes</td><td>16 GiB</td><td>one list or area file, streamed to disk, counted after gunzip</td></tr>
 *   <tr><td>maxConnections</td><td>64</td><td>open connections; more are closed at accept</td></tr>
 *   <tr><td>requestsPerSecond / burst</td><td>20 / 100</td><td>per token (or per address before authentication)</td></tr>
 *   <tr><td>idleTimeoutSeconds</td><td>120</td><td>a keep-alive connection with no traffic is closed</td></tr>
 * </table>
 *
 * <p>TLS: {@link #tls(Path, Path)} gives a PEM certificate chain and a PEM PKCS#8 key; with
 * {@link #clientCa(Path)} every client must also present a certificate signed by that CA (mutual
 * TLS), on top of its bearer token.
 */
public final class AdminConfig {
    private String bind = "127.0.0.1";
    private int port = 7443;
    private int maxRequestLineBytes = 4096;
    private int maxHeaderBytes = 8192;
    private int maxJsonBodyBytes = 16 << 20;
    private long maxUploadBytes = 16L << 30;
    private int maxConnections = 64;
    private double requestsPerSecond = 20;
    private int burst = 100;
    private int idleTimeoutSeconds = 120;
    private int ioThreads = 1;
    private Path tlsCert;
    private Path tlsKey;
    private Path clientCa;

    public AdminConfig bind(final String v) {
        bind = v;
        return this;
    }

    public AdminConfig port(final int v) {
        port = v;
        return this;
    }

    public AdminConfig maxRequestLineBytes(final int v) {
        maxRequestLineBytes = v;
        return this;
    }

    public AdminConfig maxHeaderBytes(final int v) {
        maxHeaderBytes = v;
        return this;
    }

    public AdminConfig maxJsonBodyBytes(final int v) {
        maxJsonBodyBytes = v;
        return this;
    }

    public AdminConfig maxUploadBytes(final long v) {
        maxUploadBytes = v;
        return this;
    }

    public AdminConfig maxConnections(final int v) {
        maxConnections = v;
        return this;
    }

    public AdminConfig requestsPerSecond(final double v) {
        requestsPerSecond = v;
        return this;
    }

    public AdminConfig burst(final int v) {
        burst = v;
        return this;
    }

    public AdminConfig idleTimeoutSeconds(final int v) {
        idleTimeoutSeconds = v;
        return this;
    }

    public AdminConfig ioThreads(final int v) {
        ioThreads = v;
        return this;
    }

    public AdminConfig tls(final Path certChainPem, final Path keyPem) {
        tlsCert = certChainPem;
        tlsKey = keyPem;
        return this;
    }

    public AdminConfig clientCa(final Path caPem) {
        clientCa = caPem;
        return this;
    }

    /** Checks every setting; throws IllegalArgumentException naming the first bad one. */
    public AdminConfig conclude() {
        if (bind == null || bind.isBlank()) {
            throw new IllegalArgumentException("admin.bind: must be an address, e.g. 127.0.0.1");
        }
        check("admin.port", port, 0, 65535);
        check("admin.maxRequestLineBytes", maxRequestLineBytes, 256, 65536);
        check("admin.maxHeaderBytes", maxHeaderBytes, 1024, 1 << 20);
        check("admin.maxJsonBodyBytes", maxJsonBodyBytes, 1024, 1 << 30);
        if (maxUploadBytes < 1024 || maxUploadBytes > (1L << 40)) {
            throw new IllegalArgumentException("admin.maxUploadBytes: must be 1024 to 2^40: " + maxUploadBytes);
        }
        check("admin.maxConnections", maxConnections, 1, 65535);
        if (!(requestsPerSecond > 0 && requestsPerSecond <= 100_000)) {
            throw new IllegalArgumentException("admin.requestsPerSecond: must be > 0 and <= 100000: " + requestsPerSecond);
        }
        check("admin.burst", burst, 1, 100_000);
        check("admin.idleTimeoutSeconds", idleTimeoutSeconds, 1, 86_400);
        check("admin.ioThreads", ioThreads, 1, 64);
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("admin.tls: needs both a certificate and a key");
        }
        if (clientCa != null && tlsCert == null) {
            throw new IllegalArgumentException("admin.tls.clientCa: client certificates need TLS (certificate and key)");
        }
        return this;
    }

    private static void check(final String name, final long v, final long min, final long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + ": must be " + min + " to " + max + ": " + v);
        }
    }

    public String bind() {
        return bind;
    }

    public int port() {
        return port;
    }

    public int maxRequestLineBytes() {
        return maxRequestLineBytes;
    }

    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    public int maxJsonBodyBytes() {
        return maxJsonBodyBytes;
    }

    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public double requestsPerSecond() {
        return requestsPerSecond;
    }

    public int burst() {
        return burst;
    }

    public int idleTimeoutSeconds() {
        return idleTimeoutSeconds;
    }

    public int ioThreads() {
        return ioThreads;
    }

    public Path tlsCert() {
        return tlsCert;
    }

    public Path tlsKey() {
        return tlsKey;
    }

    public Path clientCa() {
        return clientCa;
    }
}
