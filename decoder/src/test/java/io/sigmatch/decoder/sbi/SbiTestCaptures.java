package io.sigmatch.decoder.sbi;

import static io.sigmatch.decoder.testing.Packets.ETHERTYPE_IPV4;
import static io.sigmatch.decoder.testing.Packets.PROTO_TCP;
import static io.sigmatch.decoder.testing.Packets.concat;
import static io.sigmatch.decoder.testing.Packets.ethernet;
import static io.sigmatch.decoder.testing.Packets.ipv4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.PcapWriter;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SBI captures the tests write: cleartext HTTP/2 with prior knowledge over TCP, header blocks
 * HPACK-encoded by Netty's encoder (one per direction, so later requests on a connection use the
 * dynamic table), bodies split across DATA frames and frames split across TCP segments. Each file
 * is decoded by tshark (decode-as http2 on its port) and by sigmatch in {@code SbiWiresharkTest}.
 */
final class SbiTestCaptures {
    static final long T0 = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z
    static final long MS = 1_000_000L;
    static final int LINKTYPE_ETHERNET = 1;
    static final String IMSI = "460001234567890";
    static final String ROAMER_IMSI = "310410987654321";

    private SbiTestCaptures() {
    }

    /** File name to pcap bytes. */
    static Map<String, byte[]> all() {
        final Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("nsmf-uecm-7777.pcap", smfAndUdm());
        out.put("namf-ausf-huffman-29518.pcap", amfAndAusf());
        out.put("preface-on-odd-port-31000.pcap", oddPort());
        out.put("midstream-8080.pcap", midstream());
        return out;
    }

    /** The ports tshark must decode as HTTP/2 for these files and for the corpus. */
    static final String[] DECODE_AS = {
        "-d", "tcp.port==80,http2", "-d", "tcp.port==7777,http2", "-d", "tcp.port==8080,http2",
        "-d", "tcp.port==29518,http2", "-d", "tcp.port==31000,http2",
    };

    // ---- frames -------------------------------------------------------------------------------

    /** RFC 9113 4.1: length (24), type, flags, R + stream id (31), payload. */
    static byte[] frame(final int type, final int flags, final int stream, final byte[] payload) {
        return new ByteWriter()
            .u8(payload.length >>> 16).u16(payload.length & 0xFFFF) // length
            .u8(type)                                              // type
            .u8(flags)                                             // flags
            .u32(stream)                                           // reserved bit 0, stream identifier
            .bytes(payload).toByteArray();
    }

    /** RFC 9113 6.5: SETTINGS with (id, value) pairs. */
    static byte[] settings(final int... idValue) {
        final ByteWriter w = new ByteWriter();
        for (int i = 0; i < idValue.length; i += 2) {
            w.u16(idValue[i]).u32(idValue[i + 1] & 0xFFFFFFFFL);
        }
        return frame(Http2Frame.SETTINGS, 0, 0, w.toByteArray());
    }

    static byte[] settingsAck() {
        return frame(Http2Frame.SETTINGS, Http2Frame.FLAG_ACK, 0, new byte[0]);
    }

    static byte[] windowUpdate(final int stream, final int increment) {
        return frame(Http2Frame.WINDOW_UPDATE, 0, stream, new ByteWriter().u32(increment).toByteArray());
    }

    static byte[] data(final int stream, final boolean endStream, final byte[] payload) {
        return frame(Http2Frame.DATA, endStream ? Http2Frame.FLAG_END_STREAM : 0, stream, payload);
    }

    /** A padded DATA frame (RFC 9113 6.1: pad length octet, data, padding). */
    static byte[] paddedData(final int stream, final boolean endStream, final byte[] payload, final int pad) {
        final byte[] p = concat(new byte[] {(byte) pad}, payload, new byte[pad]);
        return frame(Http2Frame.DATA, Http2Frame.FLAG_PADDED | (endStream ? Http2Frame.FLAG_END_STREAM : 0), stream, p);
    }

    /** One direction's HPACK encoder (Netty's), so blocks on a connection share its dynamic table. */
    static final class Encoder {
        private final DefaultHttp2HeadersEncoder encoder;

        /** huffmanFrom: strings at least this long are Huffman-coded when that is shorter (Netty's threshold). */
        Encoder(final int huffmanFrom) {
            encoder = new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, false, 16, huffmanFrom);
        }

        byte[] block(final int stream, final Http2Headers headers) {
            final ByteBuf out = Unpooled.buffer();
            try {
                encoder.encodeHeaders(stream, headers, out);
            } catch (final Http2Exception e) {
                throw new IllegalStateException(e);
            }
            final byte[] b = new byte[out.readableBytes()];
            out.readBytes(b);
            return b;
        }

        /** HEADERS (END_HEADERS) carrying the whole block. */
        byte[] headers(final int stream, final boolean endStream, final Http2Headers h) {
            return frame(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS | (endStream ? Http2Frame.FLAG_END_STREAM : 0),
                stream, block(stream, h));
        }

        /** HEADERS with the PRIORITY fields and padding, then the rest of the block in CONTINUATION frames. */
        byte[] headersContinued(final int stream, final boolean endStream, final Http2Headers h, final int pieces) {
            final byte[] block = block(stream, h);
            final int first = block.length / pieces;
            final byte[] head = concat(new byte[] {4},          // pad length 4
                new byte[] {0, 0, 0, 0, 15},                    // exclusive 0, depends on stream 0, weight 16
                java.util.Arrays.copyOfRange(block, 0, first), new byte[4]);
            byte[] out = frame(Http2Frame.HEADERS, Http2Frame.FLAG_PADDED | Http2Frame.FLAG_PRIORITY
                | (endStream ? Http2Frame.FLAG_END_STREAM : 0), stream, head);
            int at = first;
            for (int i = 1; i < pieces; i++) {
                final int to = i == pieces - 1 ? block.length : at + first;
                out = concat(out, frame(Http2Frame.CONTINUATION, i == pieces - 1 ? Http2Frame.FLAG_END_HEADERS : 0, stream,
                    java.util.Arrays.copyOfRange(block, at, to)));
                at = to;
            }
            return out;
        }
    }

    static Http2Headers request(final String method, final String path, final String contentType) {
        final Http2Headers h = new DefaultHttp2Headers(false)
            .method(method).path(path).scheme("http").authority("smf.5gc.mnc000.mcc460.3gppnetwork.org:7777");
        h.add("user-agent", "AMF");
        h.add("3gpp-sbi-sender-timestamp", "Thu, 01 Jan 2026 00:00:00.000 GMT");
        if (contentType != null) {
            h.add("content-type", contentType);
        }
        h.add("accept", "application/json,application/problem+json");
        return h;
    }

    static Http2Headers response(final int status, final String contentType) {
        final Http2Headers h = new DefaultHttp2Headers(false).status(Integer.toString(status));
        h.add("server", "SMF");
        if (contentType != null) {
            h.add("content-type", contentType);
        }
        return h;
    }

    static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static final String BOUNDARY = "----Boundary-n1n2";

    static String smContextCreateJson(final String imsi, final String msisdn, final String pei) {
        return "{\"supi\":\"imsi-" + imsi + "\",\"pei\":\"" + pei + "\",\"gpsi\":\"msisdn-" + msisdn + "\","
            + "\"pduSessionId\":5,\"dnn\":\"internet\",\"sNssai\":{\"sst\":1,\"sd\":\"010203\"},"
            + "\"servingNfId\":\"2746064e-63d4-41f0-97a5-f7af6707dcda\","
            + "\"guami\":{\"plmnId\":{\"mcc\":\"460\",\"mnc\":\"00\"},\"amfId\":\"020040\"},"
            + "\"servingNetwork\":{\"mcc\":\"460\",\"mnc\":\"00\"},\"requestType\":\"INITIAL_REQUEST\","
            + "\"n1SmMsg\":{\"contentId\":\"5gnas-sm\"},\"anType\":\"3GPP_ACCESS\",\"ratType\":\"NR\","
            + "\"ueLocation\":{\"nrLocation\":{\"tai\":{\"plmnId\":{\"mcc\":\"460\",\"mnc\":\"00\"},\"tac\":\"00a1b2\"},"
            + "\"ncgi\":{\"plmnId\":{\"mcc\":\"460\",\"mnc\":\"00\"},\"nrCellId\":\"0000c0e01\"},"
            + "\"ueLocationTimestamp\":\"2026-01-01T00:00:00.000000Z\"}},"
            + "\"ueTimeZone\":\"+08:00\",\"smContextStatusUri\":\"http://amf:7777/namf-callback/v1/imsi-" + imsi
            + "/sm-context-status/5\"}";
    }

    /** TS 29.502 6.1.2.4: multipart/related with the JSON part first and the N1 SM message after it. */
    static byte[] multipart(final String json) {
        return concat(ascii("--" + BOUNDARY + "\r\nContent-Type: application/json\r\n\r\n" + json + "\r\n--" + BOUNDARY
                + "\r\nContent-Id: 5gnas-sm\r\nContent-Type: application/vnd.3gpp.5gnas\r\n\r\n"),
            new byte[] {0x2e, 0x05, 0x01, (byte) 0xc1, (byte) 0xff, (byte) 0xff, (byte) 0x93, (byte) 0xa1},
            ascii("\r\n--" + BOUNDARY + "--\r\n"));
    }

    static String uecmRegistrationJson(final boolean initial, final String mcc, final String mnc) {
        return "{\"amfInstanceId\":\"2746064e-63d4-41f0-97a5-f7af6707dcda\",\"pei\":\"imei-866507040040537\","
            + "\"deregCallbackUri\":\"http://amf:7777/namf-callback/v1/dereg\","
            + (initial ? "\"initialRegistrationInd\":true," : "")
            + "\"guami\":{\"plmnId\":{\"mcc\":\"" + mcc + "\",\"mnc\":\"" + mnc + "\"},\"amfId\":\"020040\"},"
            + "\"ratType\":\"NR\"}";
    }

    // ---- TCP ----------------------------------------------------------------------------------

    /** RFC 9293 header, 20 octets. */
    static byte[] tcp(final int srcPort, final int dstPort, final long seq, final long ack, final int flags,
        final byte[] payload) {
        return new ByteWriter()
            .u16(srcPort)          // source port
            .u16(dstPort)          // destination port
            .u32(seq)              // sequence number
            .u32(ack)              // acknowledgement number
            .u8(0x50)              // data offset 5 words
            .u8(flags)             // flags
            .u16(65535)            // window
            .u16(0)                // checksum (tshark does not verify it by default)
            .u16(0)                // urgent pointer
            .bytes(payload).toByteArray();
    }

    /** One TCP connection between a client and a server, with a handshake unless it starts mid-stream. */
    static final class Flow {
        final PcapWriter w;
        final String client;
        final String server;
        final int clientPort;
        final int serverPort;
        long t;
        long cseq = 100_000;
        long sseq = 900_000;

        Flow(final PcapWriter w, final long t0, final String client, final int clientPort, final String server,
            final int serverPort, final boolean handshake) {
            this.w = w;
            this.t = t0;
            this.client = client;
            this.server = server;
            this.clientPort = clientPort;
            this.serverPort = serverPort;
            if (handshake) {
                segment(true, 0x02, new byte[0]);   // SYN
                cseq++;
                segment(false, 0x12, new byte[0]);  // SYN ACK
                sseq++;
                segment(true, 0x10, new byte[0]);   // ACK
            }
        }

        private void segment(final boolean fromClient, final int flags, final byte[] payload) {
            final byte[] seg = fromClient ? tcp(clientPort, serverPort, cseq, sseq, flags, payload)
                : tcp(serverPort, clientPort, sseq, cseq, flags, payload);
            w.packet(t += MS, ethernet(ETHERTYPE_IPV4, fromClient ? ipv4(client, server, PROTO_TCP, seg)
                : ipv4(server, client, PROTO_TCP, seg)));
        }

        /** The bytes in one segment. */
        Flow send(final boolean fromClient, final byte[]... parts) {
            final byte[] payload = concat(parts);
            segment(fromClient, 0x18, payload);
            if (fromClient) {
                cseq += payload.length;
            } else {
                sseq += payload.length;
            }
            return this;
        }

        /** The bytes cut into segments at the given offsets (frames and their headers split across segments). */
        Flow sendSplit(final boolean fromClient, final byte[] payload, final int... cuts) {
            int from = 0;
            for (final int cut : cuts) {
                send(fromClient, java.util.Arrays.copyOfRange(payload, from, cut));
                from = cut;
            }
            return send(fromClient, java.util.Arrays.copyOfRange(payload, from, payload.length));
        }
    }

    private static PcapWriter pcap() {
        return new PcapWriter(ByteOrder.LITTLE_ENDIAN, true, 65_535, LINKTYPE_ETHERNET);
    }

    /** The common opening: preface and SETTINGS both ways (the server asks for larger frames). */
    private static void open(final Flow f) {
        f.send(true, Http2Frame.PREFACE, settings(0x3, 100, 0x4, 1 << 20));
        f.send(false, settings(0x3, 128, 0x5, 32768), settingsAck());
        f.send(true, settingsAck(), windowUpdate(0, 1 << 20));
    }

    /** AMF to SMF and UDM on Open5GS's port: CreateSMContext (multipart, split), UECM registrations. */
    private static byte[] smfAndUdm() {
        final PcapWriter w = pcap();
        final Flow f = new Flow(w, T0, "10.10.0.5", 41000, "10.10.0.7", 7777, true);
        open(f);
        final Encoder client = new Encoder(512);
        final Encoder server = new Encoder(512);

        // stream 1: Nsmf_PDUSession_CreateSMContext, body in two DATA frames, the frames cut across segments
        final byte[] body = multipart(smContextCreateJson(IMSI, "8613800138000", "imeisv-8665070400405301"));
        final byte[] h1 = client.headers(1, false, request("POST", "/nsmf-pdusession/v1/sm-contexts",
            "multipart/related; boundary=\"" + BOUNDARY + "\""));
        final int half = body.length / 2;
        final byte[] d1 = data(1, false, java.util.Arrays.copyOfRange(body, 0, half));
        final byte[] d2 = data(1, true, java.util.Arrays.copyOfRange(body, half, body.length));
        final byte[] all = concat(h1, d1, d2);
        // cut inside the first frame header, inside the HEADERS block, and inside the second DATA frame
        f.sendSplit(true, all, 5, h1.length + 20, h1.length + d1.length + 4, h1.length + d1.length + 300);
        f.send(false, server.headers(1, false, response(201, "application/json")),
            data(1, true, ascii("{\"pduSessionId\":5,\"upCnxState\":\"ACTIVATING\"}")));

        // stream 3: Nudm_UECM_Registration (initial), headers now mostly dynamic-table references
        f.send(true, client.headers(3, false, request("PUT", "/nudm-uecm/v1/imsi-" + IMSI
            + "/registrations/amf-3gpp-access", "application/json")),
            data(3, true, ascii(uecmRegistrationJson(true, "460", "00"))));
        f.send(false, server.headers(3, false, response(201, "application/json")),
            data(3, true, ascii("{\"amfInstanceId\":\"2746064e\"}")));

        // stream 5: a roamer registered in 460/00, answered 403 (rejected); padded DATA
        f.send(true, client.headers(5, false, request("PUT", "/nudm-uecm/v1/imsi-" + ROAMER_IMSI
            + "/registrations/amf-3gpp-access", "application/json")),
            paddedData(5, true, ascii(uecmRegistrationJson(false, "460", "00")), 7));
        f.send(false, server.headers(5, false, response(403, "application/problem+json")),
            data(5, true, ascii("{\"cause\":\"ROAMING_NOT_ALLOWED\"}")));

        // stream 7: an NRF heartbeat (other operation), HEADERS + CONTINUATION with padding and priority
        f.send(true, client.headersContinued(7, true, request("GET", "/nnrf-disc/v1/nf-instances?target-nf-type=UDM"
            + "&requester-nf-type=AMF&service-names=nudm-uecm", null), 3));
        f.send(false, server.headers(7, true, response(200, null)));

        // stream 9: reset by the client before any response: completes as unknown
        f.send(true, client.headers(9, false, request("POST", "/nsmf-pdusession/v1/sm-contexts",
            "multipart/related; boundary=\"" + BOUNDARY + "\"")),
            data(9, true, multipart(smContextCreateJson("460001111111111", "8613900000001", "imei-866507040040537"))));
        f.send(true, frame(Http2Frame.RST_STREAM, 0, 9, new ByteWriter().u32(8).toByteArray())); // CANCEL
        f.send(false, frame(Http2Frame.PING, 0, 0, new byte[8]));
        return w.toByteArray();
    }

    /** AMF event notifications and AUSF on free5gc-style ports, every string Huffman-coded. */
    private static byte[] amfAndAusf() {
        final PcapWriter w = pcap();
        final Flow f = new Flow(w, T0, "10.20.0.1", 50000, "10.20.0.18", 29518, true);
        open(f);
        final Encoder client = new Encoder(1);
        final Encoder server = new Encoder(1);
        f.send(true, client.headers(1, false, request("POST", "/namf-evts/v1/subscriptions", "application/json")),
            data(1, true, ascii("{\"subscription\":{\"eventList\":[{\"type\":\"LOCATION_REPORT\",\"immediateFlag\":true}],"
                + "\"eventNotifyUri\":\"http://nef:29518/notify/1\",\"notifyCorrelationId\":\"1\",\"nfId\":\"nef-1\","
                + "\"anyUE\":true}}")));
        f.send(false, server.headers(1, false, response(201, "application/json")),
            data(1, true, ascii("{\"subscriptionId\":\"sub-1\"}")));
        // the AMF's notification to the consumer (TS 29.518 5.3.2.4.1): POST to its callback URI
        f.send(true, client.headers(3, false, request("POST", "/notify/1", "application/json")),
            data(3, true, ascii("{\"notifyCorrelationId\":\"1\",\"notifySubscriptionId\":\"sub-1\",\"reportList\":["
                + "{\"type\":\"LOCATION_REPORT\",\"state\":{\"active\":true},\"timeStamp\":\"2026-01-01T00:00:01Z\","
                + "\"supi\":\"imsi-" + IMSI + "\",\"location\":{\"nrLocation\":{\"tai\":{\"plmnId\":{\"mcc\":\"460\","
                + "\"mnc\":\"00\"},\"tac\":\"000102\"},\"ncgi\":{\"plmnId\":{\"mcc\":\"460\",\"mnc\":\"00\"},"
                + "\"nrCellId\":\"00123abcd\"}}}},"
                + "{\"type\":\"LOCATION_REPORT\",\"supi\":\"imsi-460009999999999\"}]}")));
        f.send(false, server.headers(3, true, response(204, null)));
        // Nausf: a SUCI with the null scheme reveals the IMSI (TS 23.003 2.2B)
        f.send(true, client.headers(5, false, request("POST", "/nausf-auth/v1/ue-authentications", "application/json")),
            data(5, true, ascii("{\"supiOrSuci\":\"suci-0-460-00-0-0-0-1234567890\","
                + "\"servingNetworkName\":\"5G:mnc000.mcc460.3gppnetwork.org\"}")));
        f.send(false, server.headers(5, false, response(201, "application/3gppHal+json")),
            data(5, true, ascii("{\"authType\":\"5G_AKA\"}")));
        // and a concealed one (ECIES profile A): no IMSI
        f.send(true, client.headers(7, false, request("POST", "/nausf-auth/v1/ue-authentications", "application/json")),
            data(7, true, ascii("{\"supiOrSuci\":\"suci-0-460-00-0-1-1-a1b2c3d4e5f60718\","
                + "\"servingNetworkName\":\"5G:mnc000.mcc460.3gppnetwork.org\"}")));
        f.send(false, server.headers(7, true, response(403, null)));
        return w.toByteArray();
    }

    /** A connection on a port nobody configured: found by its preface. */
    private static byte[] oddPort() {
        final PcapWriter w = pcap();
        final Flow f = new Flow(w, T0, "10.30.0.1", 40001, "10.30.0.2", 31000, true);
        open(f);
        final Encoder client = new Encoder(512);
        final Encoder server = new Encoder(512);
        f.send(true, client.headers(1, false, request("PUT", "/nudm-uecm/v1/imsi-" + IMSI
            + "/registrations/amf-3gpp-access", "application/json")),
            data(1, true, ascii(uecmRegistrationJson(false, "460", "00"))));
        f.send(false, server.headers(1, true, response(204, null)));
        return w.toByteArray();
    }

    /**
     * A connection the probe starts seeing after its first exchange: the first (unseen) request
     * filled both tables; the seen ones refer back to those entries (blocks we must drop, counted)
     * or carry every field literally or through entries added while we watch (blocks we read).
     */
    private static byte[] midstream() {
        final Encoder client = new Encoder(512);
        final Encoder server = new Encoder(512);
        // unseen: stream 1 fills the client's table with :authority, user-agent, accept, ...
        client.block(1, request("PUT", "/nudm-uecm/v1/imsi-" + IMSI + "/registrations/amf-3gpp-access",
            "application/json"));
        server.block(1, response(201, "application/json"));
        final PcapWriter w = pcap();
        final Flow f = new Flow(w, T0, "10.40.0.1", 42000, "10.40.0.2", 8080, false);
        // seen: stream 3 refers to the unseen entries (dropped), its response too
        f.send(true, client.headers(3, false, request("POST", "/nsmf-pdusession/v1/sm-contexts",
            "multipart/related; boundary=\"" + BOUNDARY + "\"")),
            data(3, true, multipart(smContextCreateJson(IMSI, "8613800138000", "imeisv-8665070400405301"))));
        f.send(false, server.headers(3, false, response(201, "application/json")), data(3, true, ascii("{}")));
        // seen: stream 5 uses static-table names with new values only: readable from mid-stream
        final Http2Headers fresh = new DefaultHttp2Headers(false).method("PUT")
            .path("/nudm-uecm/v1/imsi-" + ROAMER_IMSI + "/registrations/amf-3gpp-access").scheme("http")
            .authority("udm-2.example.org:8080");
        fresh.add("content-type", "application/json;charset=utf-8");
        f.send(true, client.headers(5, false, fresh), data(5, true, ascii(uecmRegistrationJson(true, "460", "00"))));
        f.send(false, server.headers(5, true, new DefaultHttp2Headers(false).status("204")));
        return w.toByteArray();
    }
}
