package io.sigmatch.decoder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.sigmatch.decoder.capture.CaptureFileReader;
import io.sigmatch.decoder.capture.MergedCaptureReader;
import io.sigmatch.decoder.capture.ReplayPacer;
import io.sigmatch.decoder.diameter.DiameterDecoder;
import io.sigmatch.decoder.dissect.Dissector;
import io.sigmatch.decoder.dissect.ProtocolDispatch;
import io.sigmatch.decoder.dissect.SctpDissector;
import io.sigmatch.decoder.dissect.TcpReassembly;
import io.sigmatch.decoder.gtpv1.GtpControlDemux;
import io.sigmatch.decoder.gtpv1.Gtpv1Decoder;
import io.sigmatch.decoder.gtpv2.Gtpv2Decoder;
import io.sigmatch.decoder.sip.SipDecoder;
import io.sigmatch.decoder.sigtran.SigtranDecoder;
import io.sigmatch.decoder.sbi.SbiDecoder;

/**
 * The decoding stage as one piece: capture frames in, wire messages and completed procedures out
 * to a {@link MessageSink}. It registers every protocol decoder on its ports, so the CLI, the
 * appliance and the benchmarks decode the same way. One instance per decoding thread.
 */
public final class SignalingDecoder {
    private final Counters counters;
    private final Dissector dissector;
    private final TcpReassembly tcp;
    private final SctpDissector sctp;
    private final SipDecoder sip;
    private final SigtranDecoder sigtran;
    private final SbiDecoder sbi;

    public SignalingDecoder(final Counters counters, final DecoderConfig config, final MessageSink sink) {
        this.counters = counters;
        config.conclude();
        final ProtocolDispatch dispatch = new ProtocolDispatch();
        // GTPv1-C and GTPv2-C share UDP 2123: the version bits of the first octet pick the decoder
        final GtpControlDemux gtp = new GtpControlDemux(new Gtpv1Decoder(counters, config.gtpv1()),
            new Gtpv2Decoder(counters, config.gtpv2()));
        for (final int port : config.ports(Protocol.GTPV2)) {
            dispatch.udpPort(port, gtp);
        }
        for (final int port : config.ports(Protocol.GTPV1)) {
            dispatch.udpPort(port, gtp);
        }
        final DiameterDecoder diameter = new DiameterDecoder(counters, config.diameter(), config.countryCode());
        for (final int port : config.ports(Protocol.DIAMETER)) {
            dispatch.tcpPort(port, diameter);
            dispatch.sctpPort(port, diameter);
        }
        // RFC 6733 §2.1 / IANA: SCTP PPID 46 is Diameter, 47 Diameter over DTLS (whose encrypted
        // records do not parse and are counted as decode.diameter.error.*)
        dispatch.sctpPpid(46, diameter);
        dispatch.sctpPpid(47, diameter);
        // IANA SCTP PPIDs: 3 M3UA (RFC 4666), 2 M2UA (RFC 3331): SCCP, TCAP, MAP and CAP above them
        sigtran = new SigtranDecoder(counters, config.sigtran(), config.countryCode());
        dispatch.sctpPpid(3, sigtran);
        dispatch.sctpPpid(2, sigtran);
        // RFC 4666 §1.4.8 / RFC 3331: M3UA listens on SCTP 2905, M2UA on 2904 (for chunks with PPID 0)
        dispatch.sctpPort(2905, sigtran);
        dispatch.sctpPort(2904, sigtran);
        dispatch.mtp3(sigtran.mtp3()); // captures of link type MTP3: one MSU per frame
        // content: a TCP or SCTP payload on another port that starts with a plausible Diameter header
        dispatch.contentSniffer((packet, buffer, offset, length) ->
            packet.transport != PacketInfo.TRANSPORT_UDP && diameter.plausibleHeader(buffer, offset, length)
                ? diameter : null);
        sip = new SipDecoder(counters, config.sip(), config.countryCode());
        for (final int port : config.ports(Protocol.SIP)) {
            dispatch.udpPort(port, sip);
            dispatch.tcpPort(port, sip);
        }
        // content: a UDP datagram on another port (IMS cores use 4060, 6060 ...) that starts with a SIP start line
        dispatch.contentSniffer((packet, buffer, offset, length) ->
            packet.transport == PacketInfo.TRANSPORT_UDP && sip.plausibleStart(buffer, offset, length) ? sip : null);
        // 5G SBI: HTTP/2 prior knowledge on the deployment's ports, or any TCP flow opening with the preface
        sbi = new SbiDecoder(counters, config.sbi());
        for (final int port : config.sbi().ports()) {
            dispatch.tcpPort(port, sbi);
        }
        for (final int port : config.ports(Protocol.SBI)) {
            dispatch.tcpPort(port, sbi);
        }
        dispatch.tcpContentSniffer((packet, buffer, offset, length) ->
            SbiDecoder.startsWithPreface(buffer, offset, length) ? sbi : null);
        dissector = new Dissector(counters, dispatch, sink, config.dissector());
        tcp = new TcpReassembly(counters, dispatch, config.dissector());
        sctp = new SctpDissector(counters, dispatch, config.dissector());
        dissector.tcp(tcp);
        dissector.sctp(sctp);
    }

    /** The frame sink live capture feeds. */
    public Dissector dissector() {
        return dissector;
    }

    /** The SBI decoder (tests and tools read which stream and path a message came from). */
    public SbiDecoder sbi() {
        return sbi;
    }

    /** TCP stream state (flows, bytes held), for the status page and tests. */
    public TcpReassembly tcp() {
        return tcp;
    }

    /** The SIP decoder (its pending transactions and Call-ID table, for the status page and tests). */
    public SipDecoder sip() {
        return sip;
    }

    /** The M3UA/M2UA → SCCP → TCAP → MAP/CAP decoder (transactions, reassembly; a tap for tests). */
    public SigtranDecoder sigtran() {
        return sigtran;
    }

    /** SCTP state (association directions, fragments held), for the status page and tests. */
    public SctpDissector sctp() {
        return sctp;
    }

    /**
     * Decodes a whole capture file. Returns the number of frames read; a file that ends early or
     * is corrupt stops with its reason counted under {@code capture.error.*}, never an exception.
     */
    public long decodeFile(final Path file) throws IOException {
        try (CaptureFileReader reader = CaptureFileReader.open(file, counters)) {
            return reader.readAll(dissector);
        }
    }

    /**
     * Decodes several captures as one stream in capture-time order, paced at {@code speed} times
     * the recorded rate (0: as fast as possible). Returns the number of frames read.
     */
    public long decodeFiles(final List<Path> files, final double speed) throws IOException {
        try (MergedCaptureReader reader = MergedCaptureReader.open(files, counters)) {
            return reader.readAll(speed > 0 ? new ReplayPacer(dissector, speed) : dissector);
        }
    }

    /** End of input: completes pending requests so their procedures reach the sink. */
    public void finish() {
        dissector.finish();
    }
}
