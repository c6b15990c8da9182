package io.sigmatch.tools;

import io.sigmatch.decoder.DecoderConfig;
import picocli.CommandLine.Option;

/** Decoder options shared by every command that decodes (decode, replay, run), so they agree. */
public final class DecoderOptions {
    @Option(names = "--port", paramLabel = "PROTO=PORT[,...]",
        description = "Extra ports per protocol beside the well-known ones, e.g. --port gtpv2=2152,sip=5080 "
            + "(repeatable). Protocols: gtpv2, gtpv1, diameter, sip, map, cap, s1ap, ngap, sbi.")
    private String[] ports = new String[0];

    @Option(names = "--country-code", paramLabel = "CC", defaultValue = "86",
        description = "E.164 country code for putting national numbers in international form (default ${DEFAULT-VALUE}).")
    private int countryCode;

    public DecoderConfig toConfig() {
        final DecoderConfig config = new DecoderConfig().countryCode(countryCode);
        for (final String p : ports) {
            config.ports(p);
        }
        return config.conclude();
    }
}
