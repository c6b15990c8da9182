package io.sigmatch.decoder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.sigmatch.decoder.diameter.DiameterConfig;
import io.sigmatch.decoder.dissect.DissectorConfig;
import io.sigmatch.decoder.gtpv1.Gtpv1Config;
import io.sigmatch.decoder.gtpv2.Gtpv2Config;
import io.sigmatch.decoder.sip.SipConfig;
import io.sigmatch.decoder.sigtran.SigtranConfig;
import io.sigmatch.decoder.sbi.SbiConfig;

/**
 * Everything the decoding stage is configured with: which ports carry which protocol (well-known
 * ports plus those named in the configuration — DESIGN §3), the country code that turns national
 * numbers into international form, and the limits of each layer. {@link #conclude()} validates.
 */
public final class DecoderConfig {
    /** Well-known ports (DESIGN §3): GTP-C 2123 (TS 29.274 4.2), Diameter 3868 (RFC 6733). */
    private static final Map<Protocol, int[]> WELL_KNOWN_PORTS = new EnumMap<>(Protocol.class);

    static {
        WELL_KNOWN_PORTS.put(Protocol.GTPV2, new int[] {2123});
        // RFC 6733 §2.1: Diameter listens on TCP and SCTP 3868
        WELL_KNOWN_PORTS.put(Protocol.DIAMETER, new int[] {3868});
        // RFC 3261 18: SIP on UDP and TCP 5060 (5061 is TLS, not readable)
        WELL_KNOWN_PORTS.put(Protocol.SIP, new int[] {5060});
    }

    private final Map<Protocol, List<Integer>> extraPorts = new EnumMap<>(Protocol.class);
    private int countryCode = 86;
    private DissectorConfig dissector = new DissectorConfig();
    private Gtpv2Config gtpv2 = new Gtpv2Config();
    private Gtpv1Config gtpv1 = new Gtpv1Config();
    private DiameterConfig diameter = new DiameterConfig();
    private SipConfig sip = new SipConfig();
    private SigtranConfig sigtran = new SigtranConfig();
    private SbiConfig sbi = new SbiConfig();

    /** Adds a port on which a protocol is expected, beside its well-known ports. */
    public DecoderConfig port(final Protocol protocol, final int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range 1..65535: " + port);
        }
        extraPorts.computeIfAbsent(protocol, p -> new ArrayList<>()).add(port);
        return this;
    }

    /** Well-known plus configured ports of a protocol. */
    public List<Integer> ports(final Protocol protocol) {
        final List<Integer> ports = new ArrayList<>();
        final int[] known = WELL_KNOWN_PORTS.get(protocol);
        if (known != null) {
            for (final int p : known) {
                ports.add(p);
            }
        }
        ports.addAll(extraPorts.getOrDefault(protocol, Collections.emptyList()));
        return ports;
    }

    /**
     * Parses a port option, {@code proto=port[,proto=port...]} (e.g. {@code gtpv2=2152,sip=5080});
     * the error names the bad element.
     */
    public DecoderConfig ports(final String option) {
        for (final String element : option.split(",")) {
            final String e = element.trim();
            if (e.isEmpty()) {
                continue;
            }
            final int eq = e.indexOf('=');
            final Protocol protocol = eq > 0 ? Protocol.byJsonName(e.substring(0, eq).trim()) : null;
            if (protocol == null) {
                throw new IllegalArgumentException("bad port option '" + e + "': expected proto=port with proto one of "
                    + java.util.Arrays.stream(Protocol.values()).map(p -> p.jsonName).toList());
            }
            final int port;
            try {
                port = Integer.parseInt(e.substring(eq + 1).trim());
            } catch (final NumberFormatException ex) {
                throw new IllegalArgumentException("bad port option '" + e + "': port is not a number");
            }
            port(protocol, port);
        }
        return this;
    }

    /** E.164 country code used to put national numbers into international form (86 for China). */
    public int countryCode() {
        return countryCode;
    }

    public DecoderConfig countryCode(final int countryCode) {
        this.countryCode = countryCode;
        return this;
    }

    public DissectorConfig dissector() {
        return dissector;
    }

    public DecoderConfig dissector(final DissectorConfig dissector) {
        this.dissector = dissector;
        return this;
    }

    public Gtpv2Config gtpv2() {
        return gtpv2;
    }

    public DecoderConfig gtpv2(final Gtpv2Config gtpv2) {
        this.gtpv2 = gtpv2;
        return this;
    }

    public Gtpv1Config gtpv1() {
        return gtpv1;
    }

    public DecoderConfig gtpv1(final Gtpv1Config gtpv1) {
        this.gtpv1 = gtpv1;
        return this;
    }

    public DiameterConfig diameter() {
        return diameter;
    }

    public DecoderConfig diameter(final DiameterConfig diameter) {
        this.diameter = diameter;
        return this;
    }

    public SipConfig sip() {
        return sip;
    }

    public DecoderConfig sip(final SipConfig sip) {
        this.sip = sip;
        return this;
    }

    public SigtranConfig sigtran() {
        return sigtran;
    }

    public DecoderConfig sigtran(final SigtranConfig sigtran) {
        this.sigtran = sigtran;
        return this;
    }

    /** 5G SBI: its default ports (SbiConfig) are routed beside the {@code sbi=} ports above. */
    public SbiConfig sbi() {
        return sbi;
    }

    public DecoderConfig sbi(final SbiConfig sbi) {
        this.sbi = sbi;
        return this;
    }

    public DecoderConfig conclude() {
        if (countryCode < 1 || countryCode > 999) {
            throw new IllegalArgumentException("countryCode must be 1..999: " + countryCode);
        }
        dissector.conclude();
        gtpv2.conclude();
        gtpv1.conclude();
        diameter.conclude();
        sip.conclude();
        sigtran.conclude();
        sbi.conclude();
        return this;
    }
}
