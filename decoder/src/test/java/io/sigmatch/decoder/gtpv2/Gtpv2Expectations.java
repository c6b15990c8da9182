package io.sigmatch.decoder.gtpv2;

import io.sigmatch.decoder.Outcome;
import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.tshark.FieldRecord;
import io.sigmatch.decoder.tshark.PdmlNode;
import io.sigmatch.decoder.tshark.PdmlPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * What `sigmatch decode` must print for each GTPv2 message, derived from tshark's dissection tree
 * alone: the raw values come from Wireshark's fields; only the choices sigmatch documents (which
 * occurrence is "the" IMSI or location, which cause ranges mean accepted) are applied here, the
 * same way the package documentation states them:
 *
 * <ul>
 *   <li>every field comes from the first message-level IE of its type with instance 0 — never from
 *       an IE inside a grouped IE (tshark shows those too);</li>
 *   <li>ULI: tac = gtpv2.tai_tac, eci = gtpv2.ecgi_eci, ci = gtpv2.uli_cgi_ci, lac = CGI's, else
 *       SAI's, else RAI's, else LAI's; mcc/mnc = the PLMN (e212.*.mcc/mnc) of ECGI, else CGI, SAI,
 *       RAI, TAI, LAI, else the Serving Network's (e212.mcc/mnc in IE 83);</li>
 *   <li>imei = the first 14 digits of gtpv2.mei when it has 15 or 16 digits, imeisv = gtpv2.mei
 *       when it has 16;</li>
 *   <li>outcome: gtpv2.cause of an answer: 16..63 accepted, 64..239 rejected;</li>
 *   <li>rat: gtpv2.rat_type mapped to the {@link Rat} names; a code Rat does not know is left out.</li>
 * </ul>
 */
final class Gtpv2Expectations {
    /** The keys of a decode line compared with tshark ("proto" and "event" have no tshark counterpart). */
    static final List<String> KEYS = List.of("frame", "time", "msg", "outcome", "imsi", "msisdn", "imei", "imeisv",
        "mcc", "mnc", "tac", "lac", "eci", "ci", "nci", "rat", "apn");

    private Gtpv2Expectations() {
    }

    /** One record per GTPv2 message of the frame, in order (a piggybacked message comes second). */
    static List<FieldRecord> of(final PdmlPacket packet) {
        final List<FieldRecord> out = new ArrayList<>();
        for (final PdmlNode layer : packet.protocols("gtpv2")) {
            out.add(message(packet, layer));
        }
        return out;
    }

    /** The type shown in the layer's gtpv2.message_type. */
    static int type(final PdmlNode layer) {
        return (int) PdmlNode.number(layer.childShow("gtpv2.message_type"));
    }

    /** The message-level IE of this type and instance, or null (first one wins). */
    static PdmlNode topLevelIe(final PdmlNode layer, final int type, final int instance) {
        for (final PdmlNode ie : layer.children()) {
            final String t = ie.childShow("gtpv2.ie_type");
            final String i = ie.childShow("gtpv2.instance");
            if (t != null && i != null && PdmlNode.number(t) == type && PdmlNode.number(i) == instance) {
                return ie;
            }
        }
        return null;
    }

    private static FieldRecord message(final PdmlPacket packet, final PdmlNode layer) {
        final FieldRecord r = new FieldRecord().put("frame", packet.frame()).put("time", packet.timeEpoch());
        final int type = type(layer);
        r.put("msg", messageName(layer.child("gtpv2.message_type").showname()));

        if (Gtpv2MessageType.isAnswer(type)) {
            final PdmlNode cause = topLevelIe(layer, Gtpv2Ie.CAUSE, 0);
            final String value = cause == null ? null : cause.firstShow("gtpv2.cause");
            final Outcome outcome = value == null ? null : Gtpv2Cause.outcomeOf((int) PdmlNode.number(value));
            if (outcome != null) {
                r.put("outcome", outcome.jsonName);
            }
        }
        final String imsi = show(topLevelIe(layer, Gtpv2Ie.IMSI, 0), "e212.imsi");
        if (digits(imsi, 1, 15)) {
            r.put("imsi", imsi);
        }
        final String msisdn = show(topLevelIe(layer, Gtpv2Ie.MSISDN, 0), "e164.msisdn");
        if (digits(msisdn, 1, 15)) {
            r.put("msisdn", msisdn);
        }
        final String mei = show(topLevelIe(layer, Gtpv2Ie.MEI, 0), "gtpv2.mei");
        if (digits(mei, 15, 16)) {
            r.put("imei", mei.substring(0, 14));
            if (mei.length() == 16) {
                r.put("imeisv", mei);
            }
        }

        final PdmlNode uli = topLevelIe(layer, Gtpv2Ie.ULI, 0);
        final PdmlNode serving = topLevelIe(layer, Gtpv2Ie.SERVING_NETWORK, 0);
        String[] plmn = null;
        if (uli != null) {
            for (final String part : new String[] {"ecgi", "cgi", "sai", "rai", "tai", "lai"}) {
                final String mcc = uli.firstShow("e212." + part + ".mcc");
                final String mnc = uli.firstShow("e212." + part + ".mnc");
                if (mcc != null && mnc != null) {
                    plmn = new String[] {mcc, mnc};
                    break;
                }
            }
        }
        if (plmn == null && serving != null && serving.child("e212.mcc") != null && serving.child("e212.mnc") != null) {
            plmn = new String[] {serving.childShow("e212.mcc"), serving.childShow("e212.mnc")};
        }
        if (plmn != null) {
            r.put("mcc", PdmlNode.number(plmn[0]));
            r.put("mnc", PdmlNode.number(plmn[1]));
        }
        if (uli != null) {
            number(r, "tac", uli.firstShow("gtpv2.tai_tac"));
            String lac = uli.firstShow("gtpv2.uli_cgi_lac");
            for (final String other : new String[] {"gtpv2.sai_lac", "gtpv2.rai_lac", "gtpv2.uli_lai_lac"}) {
                if (lac == null) {
                    lac = uli.firstShow(other);
                }
            }
            number(r, "lac", lac);
            number(r, "eci", uli.firstShow("gtpv2.ecgi_eci"));
            number(r, "ci", uli.firstShow("gtpv2.uli_cgi_ci"));
        }

        final String rat = show(topLevelIe(layer, Gtpv2Ie.RAT_TYPE, 0), "gtpv2.rat_type");
        if (rat != null) {
            final Rat mapped = Rat.fromGtpv2((int) PdmlNode.number(rat));
            if (mapped != Rat.UNKNOWN) {
                r.put("rat", mapped.name());
            }
        }
        final String apn = show(topLevelIe(layer, Gtpv2Ie.APN, 0), "gtpv2.apn");
        if (apn != null && !apn.isEmpty()) {
            r.put("apn", apn);
        }
        return r;
    }

    /** "Message Type: Create Session Request (32)" -> "Create Session Request". */
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
