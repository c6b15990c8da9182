package io.sigmatch.decoder.gtpv1;

import io.sigmatch.decoder.Outcome;
import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.tshark.FieldRecord;
import io.sigmatch.decoder.tshark.PdmlNode;
import io.sigmatch.decoder.tshark.PdmlPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * What `sigmatch decode` must print for each GTPv1-C message, plus the raw values behind it that
 * the decoder exposes while delivering a message, derived from tshark's dissection tree alone: the
 * values come from Wireshark's fields; only the choices the package documentation states are
 * applied here, the same way:
 *
 * <ul>
 *   <li>every field comes from the first IE of its type in the message;</li>
 *   <li>mcc/mnc/lac from the ULI (e212.*.mcc/mnc, gtp.lac) when there is one, else from the RAI IE;
 *       ci = gtp.cgi_ci of a ULI of type CGI;</li>
 *   <li>imei = the first 14 digits of gtp.ext_imeisv when it has 15 or 16 digits, imeisv when 16;</li>
 *   <li>outcome: gtp.cause of a response: 128..191 accepted, 192..255 rejected;</li>
 *   <li>rat: gtp.ext_rat_type mapped to the {@link Rat} names; a code Rat does not know is left out.</li>
 * </ul>
 *
 * Only GTP on a GTPv1-C port (2123) is ours: GTP-U (2152) is user plane and GTP' (tshark's
 * {@code gtpprime}, 3386) is charging; the test counts those and lists why they are not compared.
 */
final class Gtpv1Expectations {
    static final int GTPV1_C_PORT = 2123;

    /** The keys of a decode line compared with tshark ("proto" and "event" have no tshark counterpart). */
    static final List<String> JSON_KEYS = List.of("frame", "time", "msg", "outcome", "imsi", "msisdn", "imei", "imeisv",
        "mcc", "mnc", "lac", "ci", "rat", "apn");
    /** Raw values read from the decoder during delivery: header, cause, RAI, ULI, TEIDs, NSAPI. */
    static final List<String> RAW_KEYS = List.of("teid", "seq", "cause", "rai", "uli", "teidc", "teidd", "nsapi");
    static final List<String> KEYS;

    static {
        final List<String> all = new ArrayList<>(JSON_KEYS);
        all.addAll(RAW_KEYS);
        KEYS = List.copyOf(all);
    }

    private Gtpv1Expectations() {
    }

    /** True when the frame's UDP layer (outermost) has 2123 as a port. */
    static boolean onControlPort(final PdmlPacket packet) {
        return onPort(packet, GTPV1_C_PORT);
    }

    /** True when the frame's outermost UDP layer has this port as source or destination. */
    static boolean onPort(final PdmlPacket packet, final int port) {
        final List<PdmlNode> udp = packet.protocols("udp");
        if (udp.isEmpty()) {
            return false;
        }
        final String src = udp.get(0).childShow("udp.srcport");
        final String dst = udp.get(0).childShow("udp.dstport");
        return String.valueOf(port).equals(src) || String.valueOf(port).equals(dst);
    }

    /** The GTPv1-C messages of the frame (one at most: GTPv1-C has no piggybacking). */
    static List<FieldRecord> of(final PdmlPacket packet) {
        final List<FieldRecord> out = new ArrayList<>();
        if (!onControlPort(packet)) {
            return out;
        }
        for (final PdmlNode layer : packet.protocols("gtp")) {
            out.add(message(packet, layer));
            break;
        }
        return out;
    }

    static int type(final PdmlNode layer) {
        return (int) PdmlNode.number(layer.childShow("gtp.message"));
    }

    /** The first IE of this type shown as a subtree (its value octets start with the type). */
    static PdmlNode ie(final PdmlNode layer, final int type) {
        final String prefix = String.format("%02x", type);
        for (final PdmlNode c : layer.children()) {
            if (c.name().isEmpty() && c.value().startsWith(prefix)) {
                return c;
            }
        }
        return null;
    }

    private static FieldRecord message(final PdmlPacket packet, final PdmlNode layer) {
        final FieldRecord r = new FieldRecord().put("frame", packet.frame()).put("time", packet.timeEpoch());
        final int type = type(layer);
        r.put("msg", messageName(layer.child("gtp.message").showname()));

        final String causeShown = layer.childShow("gtp.cause");
        if (Gtpv1MessageType.isAnswer(type) && causeShown != null) {
            final Outcome outcome = Gtpv1Cause.outcomeOf((int) PdmlNode.number(causeShown));
            if (outcome != null) {
                r.put("outcome", outcome.jsonName);
            }
        }
        final String imsi = layer.childShow("e212.imsi");
        if (digits(imsi, 1, 15)) {
            r.put("imsi", imsi);
        }
        final String msisdn = show(ie(layer, Gtpv1Ie.MSISDN), "e164.msisdn");
        if (digits(msisdn, 1, 15)) {
            r.put("msisdn", msisdn);
        }
        final String mei = show(ie(layer, Gtpv1Ie.IMEISV), "gtp.ext_imeisv");
        if (digits(mei, 15, 16)) {
            r.put("imei", mei.substring(0, 14));
            if (mei.length() == 16) {
                r.put("imeisv", mei);
            }
        }

        final PdmlNode rai = ie(layer, Gtpv1Ie.RAI);
        final PdmlNode uli = ie(layer, Gtpv1Ie.ULI);
        final String uliType = show(uli, "gtp.geo_loc_type");
        String[] uliParts = null;
        if (uliType != null) {
            final int t = (int) PdmlNode.number(uliType);
            final String part = t == 0 ? "cgi" : t == 1 ? "sai" : "rai";
            final String code = uli.firstShow(t == 0 ? "gtp.cgi_ci" : t == 1 ? "gtp.sai_sac" : "gtp.rai_rac");
            uliParts = new String[] {uli.firstShow("e212." + part + ".mcc"), uli.firstShow("e212." + part + ".mnc"),
                uli.firstShow("gtp.lac"), code, Integer.toString(t)};
        }
        String[] raiParts = null;
        if (rai != null) {
            raiParts = new String[] {rai.firstShow("e212.rai.mcc"), rai.firstShow("e212.rai.mnc"),
                rai.firstShow("gtp.lac"), rai.firstShow("gtp.rai_rac")};
        }
        final String[] location = uliParts != null ? uliParts : raiParts;
        if (location != null) {
            r.put("mcc", PdmlNode.number(location[0]));
            r.put("mnc", PdmlNode.number(location[1]));
            r.put("lac", PdmlNode.number(location[2]));
        }
        if (uliParts != null && uliParts[4].equals("0")) {
            r.put("ci", PdmlNode.number(uliParts[3]));
        }
        final String rat = show(ie(layer, Gtpv1Ie.RAT_TYPE), "gtp.ext_rat_type");
        if (rat != null) {
            final Rat mapped = Rat.fromGtpv2((int) PdmlNode.number(rat));
            if (mapped != Rat.UNKNOWN) {
                r.put("rat", mapped.name());
            }
        }
        final String apn = show(ie(layer, Gtpv1Ie.APN), "gtp.apn");
        if (apn != null && !apn.isEmpty()) {
            r.put("apn", apn);
        }

        r.put("teid", PdmlNode.number(layer.childShow("gtp.teid")));
        final String seq = layer.childShow("gtp.seq_number");
        if (seq != null) {
            r.put("seq", PdmlNode.number(seq));
        }
        if (causeShown != null) {
            r.put("cause", PdmlNode.number(causeShown));
        }
        if (raiParts != null) {
            r.put("rai", plmnArea(raiParts));
        }
        if (uliParts != null) {
            r.put("uli", uliParts[4] + ":" + plmnArea(uliParts));
        }
        number(r, "teidc", layer.childShow("gtp.teid_cp"));
        number(r, "teidd", layer.childShow("gtp.teid_data"));
        number(r, "nsapi", show(ie(layer, Gtpv1Ie.NSAPI), "gtp.nsapi"));
        return r;
    }

    /** "mcc-mnc-lac-code" with numbers as numbers (so "02" and "2" agree). */
    static String plmnArea(final String[] parts) {
        return PdmlNode.number(parts[0]) + "-" + PdmlNode.number(parts[1]) + "-" + PdmlNode.number(parts[2]) + "-"
            + PdmlNode.number(parts[3]);
    }

    /** "Message Type: Create PDP context request (0x10)" -> "Create PDP context request". */
    static String messageName(final String showname) {
        final String prefix = "Message Type: ";
        final String s = showname.startsWith(prefix) ? showname.substring(prefix.length()) : showname;
        final int paren = s.lastIndexOf(" (");
        return paren < 0 ? s : s.substring(0, paren);
    }

    private static String show(final PdmlNode ie, final String field) {
        return ie == null ? null : ie.firstShow(field);
    }

    private static boolean digits(final String s, final int min, final int max) {
        return s != null && s.length() >= min && s.length() <= max && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static void number(final FieldRecord r, final String key, final String shown) {
        if (shown != null) {
            r.put(key, PdmlNode.number(shown));
        }
    }
}
