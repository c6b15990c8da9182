package io.sigmatch.decoder.sbi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ports and limits of the 5G SBI (HTTP/2 cleartext, prior knowledge) decoder. SBI ports are chosen
 * by each deployment (TS 29.500 does not fix one): the defaults cover the common ones, more are
 * added here or with {@code --ports sbi=N}; on any other port a stream that starts with the HTTP/2
 * connection preface is recognised by content. Every limit has a safe default; {@link #conclude()}
 * validates.
 *
 * <pre>
 *   setting                  default         meaning
 *   ports                    80, 7777, 8080,  TCP ports routed to the decoder (Open5GS 7777; free5gc NFs
 *                            29500..29599     29502 SMF, 29503 UDM, 29509 AUSF, 29518 AMF...; SEPP/SCP 80)
 *   maxFrameBytes            16777215        largest frame accepted on a direction whose peer's
 *                                            SETTINGS_MAX_FRAME_SIZE is unknown (first seen mid-stream);
 *                                            otherwise the peer's setting (default 16384, RFC 9113 6.5.2)
 *   maxHeaderBlockBytes      65536           compressed header block (HEADERS + CONTINUATIONs) kept
 *   maxHeaderListBytes       16384           decoded header list size (RFC 7541 4.1 sizes), Netty's
 *                                            maxHeaderListSize: a longer list is counted, not used
 *   maxHeaderTableBytes      65536           largest HPACK dynamic table an encoder may ask for
 *   maxPathBytes             512             :path bytes kept per stream
 *   maxBodyBytes             16384           request body bytes kept per stream for the JSON scan
 *   maxJsonDepth             32              JSON nesting followed; deeper is counted
 *   connections              4096            connection directions tracked at once
 *   streams                  8192            requests waiting for their response at once
 *   answerTimeoutNs          30 s            capture time after which an unanswered request completes
 *   idleTimeoutNs            10 min          capture time after which a quiet direction is forgotten
 * </pre>
 */
public final class SbiConfig {
    public static final int[] DEFAULT_PORTS;
    public static final int MAX_FRAME_BYTES_DEFAULT = (1 << 24) - 1;
    public static final int MAX_HEADER_BLOCK_BYTES_DEFAULT = 1 << 16;
    public static final int MAX_HEADER_LIST_BYTES_DEFAULT = 1 << 14;
    public static final int MAX_HEADER_TABLE_BYTES_DEFAULT = 1 << 16;
    public static final int MAX_PATH_BYTES_DEFAULT = 512;
    public static final int MAX_BODY_BYTES_DEFAULT = 1 << 14;
    public static final int MAX_JSON_DEPTH_DEFAULT = 32;
    public static final int CONNECTIONS_DEFAULT = 4096;
    public static final int STREAMS_DEFAULT = 8192;
    public static final long ANSWER_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(30);
    public static final long IDLE_TIMEOUT_NS_DEFAULT = TimeUnit.MINUTES.toNanos(10);

    static {
        final int[] ports = new int[3 + 100];
        ports[0] = 80;
        ports[1] = 7777;
        ports[2] = 8080;
        for (int i = 0; i < 100; i++) {
            ports[3 + i] = 29500 + i;
        }
        DEFAULT_PORTS = ports;
    }

    private final List<Integer> ports = new ArrayList<>();
    private boolean defaultPorts = true;
    private int maxFrameBytes = MAX_FRAME_BYTES_DEFAULT;
    private int maxHeaderBlockBytes = MAX_HEADER_BLOCK_BYTES_DEFAULT;
    private int maxHeaderListBytes = MAX_HEADER_LIST_BYTES_DEFAULT;
    private int maxHeaderTableBytes = MAX_HEADER_TABLE_BYTES_DEFAULT;
    private int maxPathBytes = MAX_PATH_BYTES_DEFAULT;
    private int maxBodyBytes = MAX_BODY_BYTES_DEFAULT;
    private int maxJsonDepth = MAX_JSON_DEPTH_DEFAULT;
    private int connections = CONNECTIONS_DEFAULT;
    private int streams = STREAMS_DEFAULT;
    private long answerTimeoutNs = ANSWER_TIMEOUT_NS_DEFAULT;
    private long idleTimeoutNs = IDLE_TIMEOUT_NS_DEFAULT;

    /** Adds a port beside the defaults. */
    public SbiConfig port(final int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range 1..65535: " + port);
        }
        ports.add(port);
        return this;
    }

    /** Without the default ports only the added ones (and content detection) route to SBI. */
    public SbiConfig defaultPorts(final boolean on) {
        defaultPorts = on;
        return this;
    }

    /** Default (when on) plus added ports. */
    public List<Integer> ports() {
        final List<Integer> all = new ArrayList<>();
        if (defaultPorts) {
            for (final int p : DEFAULT_PORTS) {
                all.add(p);
            }
        }
        all.addAll(ports);
        return Collections.unmodifiableList(all);
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public SbiConfig maxFrameBytes(final int bytes) {
        maxFrameBytes = bytes;
        return this;
    }

    public int maxHeaderBlockBytes() {
        return maxHeaderBlockBytes;
    }

    public SbiConfig maxHeaderBlockBytes(final int bytes) {
        maxHeaderBlockBytes = bytes;
        return this;
    }

    public int maxHeaderListBytes() {
        return maxHeaderListBytes;
    }

    public SbiConfig maxHeaderListBytes(final int bytes) {
        maxHeaderListBytes = bytes;
        return this;
    }

    public int maxHeaderTableBytes() {
        return maxHeaderTableBytes;
    }

    public SbiConfig maxHeaderTableBytes(final int bytes) {
        maxHeaderTableBytes = bytes;
        return this;
    }

    public int maxPathBytes() {
        return maxPathBytes;
    }

    public SbiConfig maxPathBytes(final int bytes) {
        maxPathBytes = bytes;
        return this;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public SbiConfig maxBodyBytes(final int bytes) {
        maxBodyBytes = bytes;
        return this;
    }

    public int maxJsonDepth() {
        return maxJsonDepth;
    }

    public SbiConfig maxJsonDepth(final int depth) {
        maxJsonDepth = depth;
        return this;
    }

    public int connections() {
        return connections;
    }

    public SbiConfig connections(final int n) {
        connections = n;
        return this;
    }

    public int streams() {
        return streams;
    }

    public SbiConfig streams(final int n) {
        streams = n;
        return this;
    }

    public long answerTimeoutNs() {
        return answerTimeoutNs;
    }

    public SbiConfig answerTimeoutNs(final long ns) {
        answerTimeoutNs = ns;
        return this;
    }

    public long idleTimeoutNs() {
        return idleTimeoutNs;
    }

    public SbiConfig idleTimeoutNs(final long ns) {
        idleTimeoutNs = ns;
        return this;
    }

    /** Checks every limit; throws IllegalArgumentException naming the first bad one. */
    public SbiConfig conclude() {
        // RFC 9113 4.2: a frame payload is at most 2^24-1 octets, and 16384 must always be accepted
        range("maxFrameBytes", maxFrameBytes, Http2Frame.DEFAULT_MAX_FRAME_SIZE, Http2Frame.MAX_LENGTH);
        range("maxHeaderBlockBytes", maxHeaderBlockBytes, 64, 1 << 24);
        range("maxHeaderListBytes", maxHeaderListBytes, 64, 1 << 24);
        range("maxHeaderTableBytes", maxHeaderTableBytes, 0, 1 << 24);
        range("maxPathBytes", maxPathBytes, 16, 1 << 16);
        range("maxBodyBytes", maxBodyBytes, 0, 1 << 24);
        range("maxJsonDepth", maxJsonDepth, 1, 256);
        range("connections", connections, 2, 1 << 20);
        range("streams", streams, 1, 1 << 22);
        if (answerTimeoutNs <= 0) {
            throw new IllegalArgumentException("answerTimeoutNs must be positive: " + answerTimeoutNs);
        }
        if (idleTimeoutNs <= 0) {
            throw new IllegalArgumentException("idleTimeoutNs must be positive: " + idleTimeoutNs);
        }
        return this;
    }

    private static void range(final String name, final long value, final long min, final long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ": " + value);
        }
    }
}
