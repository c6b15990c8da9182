package io.sigmatch.decoder.sigtran;

import io.sigmatch.decoder.tshark.FieldRecord;
import io.sigmatch.decoder.tshark.PdmlNode;
import io.sigmatch.decoder.tshark.PdmlPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * What our decoder must say, derived from tshark's dissection tree (PDML), in two views:
 *
 * <ul>
 *   <li>{@link #transport}: one record per M3UA (or M2UA) message, with its SCCP and TCAP fields
 *       when it carried them: M3UA class, type, routing context, OPC, DPC, SI, NI
 *       ({@code m3ua.*}, {@code mtp3.*} for M2UA); SCCP message type, called/calling GT digits and
 *       SSNs ({@code sccp.called.digits}, {@code sccp.calling.digits}); TCAP message type and the
 *       transaction ids ({@code tcap.otid}, {@code tcap.dtid});</li>
 *   <li>{@link #components}: one record per MAP/CAP component ({@code gsm_map} / {@code camel}
 *       layer): component type and operation ({@code gsm_map.old.Component},
 *       {@code gsm_old.localValue}, {@code camel.local}), IMSI ({@code e212.imsi}), MSISDN (a MAP
 *       msisdn field's {@code e164.msisdn}, CAP's calling party {@code e164.calling_party_number.digits}),
 *       IMEI ({@code gsm_map.ms.imei}), called number ({@code gsm_a.dtap.cld_party_bcd_num}, else the
 *       ISUP called party number), and the cell or LAI of a location information.</li>
 * </ul>
 *
 * <p>The rules sigmatch applies on top, written here once: numbers of national nature get the
 * home country code (international form, DESIGN §3); an IMEI is its first 14 digits; a Begin's
 * component without an IMSI of its own takes MAP-OpenInfo's destinationReference IMSI; an ISUP
 * called number ends at its ST (F) signal.
 */
final class SigtranExpectations {
    static final List<String> TRANSPORT_KEYS = List.of("frame", "layer", "cls", "type", "rc", "opc", "dpc", "si",
        "ni", "sccp", "called", "calling", "cdssn", "cgssn", "tcap", "otid", "dtid");
    static final List<String> COMPONENT_KEYS = List.of("frame", "proto", "comp", "op", "imsi", "msisdn", "imei",
        "called", "mcc", "mnc", "lac", "ci");

    private final String countryCode;

    SigtranExpectations(final int countryCode) {
        this.countryCode = Integer.toString(countryCode);
    }

    List<FieldRecord> transport(final PdmlPacket p) {
        final List<FieldRecord> out = new ArrayList<>();
        FieldRecord current = null;
        for (final PdmlNode layer : p.protocols()) {
            switch (layer.name()) {
                case "m3ua":
                    current = new FieldRecord().put("frame", p.frame()).put("layer", "m3ua");
                    out.add(current);
                    putNumber(current, "cls", layer.firstShow("m3ua.message_class"));
                    putNumber(current, "type", layer.firstShow("m3ua.message_type"));
                    putNumber(current, "rc", layer.firstShow("m3ua.routing_context"));
                    putNumber(current, "opc", layer.firstShow("m3ua.protocol_data_opc"));
                    putNumber(current, "dpc", layer.firstShow("m3ua.protocol_data_dpc"));
                    putNumber(current, "si", layer.firstShow("m3ua.protocol_data_si"));
                    putNumber(current, "ni", layer.firstShow("m3ua.protocol_data_ni"));
                    break;
                case "m2ua":
                    current = new FieldRecord().put("frame", p.frame()).put("layer", "m2ua");
                    out.add(current);
                    putNumber(current, "cls", layer.firstShow("m2ua.message_class"));
                    putNumber(current, "type", layer.firstShow("m2ua.message_type"));
                    break;
                case "mtp3":
                    if (current == null) {
                        // an MTP3 capture (link type 141): the MSU is the frame
                        current = new FieldRecord().put("frame", p.frame()).put("layer", "mtp3");
                        out.add(current);
                    }
                    if (("m2ua".equals(current.get("layer")) || "mtp3".equals(current.get("layer"))) && !current.has("opc")) {
                        putNumber(current, "opc", layer.firstShow("mtp3.opc"));
                        putNumber(current, "dpc", layer.firstShow("mtp3.dpc"));
                        putNumber(current, "si", layer.firstShow("mtp3.service_indicator"));
                        putNumber(current, "ni", layer.firstShow("mtp3.network_indicator"));
                    }
                    break;
                case "sccp":
                    if (current == null || current.has("sccp")) {
                        break;
                    }
                    final long type = PdmlNode.number(layer.firstShow("sccp.message_type"));
                    if (type != 0x09 && type != 0x0A && (type < 0x11 || type > 0x14)) {
                        break; // connection-oriented and management messages are not decoded
                    }
                    current.put("sccp", type);
                    putDigits(current, "called", layer.firstShow("sccp.called.digits"));
                    putDigits(current, "calling", layer.firstShow("sccp.calling.digits"));
                    putNumber(current, "cdssn", layer.firstShow("sccp.called.ssn"));
                    putNumber(current, "cgssn", layer.firstShow("sccp.calling.ssn"));
                    break;
                case "tcap":
                    if (current == null || current.has("tcap")) {
                        break;
                    }
                    final int t = tcapType(layer);
                    if (t < 0) {
                        break;
                    }
                    current.put("tcap", t);
                    final String otid = layer.firstShow("tcap.otid");
                    final String dtid = layer.firstShow("tcap.dtid");
                    if (otid != null) {
                        current.put("otid", otid.replace(":", "").toLowerCase());
                    }
                    if (dtid != null) {
                        current.put("dtid", dtid.replace(":", "").toLowerCase());
                    }
                    break;
                default:
                    break;
            }
        }
        return out;
    }

    private static int tcapType(final PdmlNode tcap) {
        for (final PdmlNode c : tcap.children()) {
            switch (c.name()) {
                case "tcap.unidirectional_element":
                    return 1;
                case "tcap.begin_element":
                    return 2;
                case "tcap.end_element":
                    return 4;
                case "tcap.continue_element":
                    return 5;
                case "tcap.abort_element":
                    return 7;
                default:
                    break;
            }
        }
        return -1;
    }

    List<FieldRecord> components(final PdmlPacket p) {
        final List<FieldRecord> out = new ArrayList<>();
        String dialogueImsi = null;
        boolean begin = false;
        for (final PdmlNode layer : p.protocols()) {
            if (layer.name().equals("tcap")) {
                begin = tcapType(layer) == 2;
                final PdmlNode ref = layer.first("gsm_map.dialogue.destinationReference");
                dialogueImsi = ref == null ? null : ref.firstShow("e212.imsi");
                continue;
            }
            final boolean cap = layer.name().equals("camel");
            if (!cap && !layer.name().equals("gsm_map")) {
                continue;
            }
            final FieldRecord r = new FieldRecord().put("frame", p.frame()).put("proto", cap ? "cap" : "map");
            final int comp = componentType(layer);
            if (comp < 0) {
                continue;
            }
            r.put("comp", comp);
            final String op = layer.firstShow(cap ? "camel.local" : "gsm_old.localValue");
            if (op != null && comp != 3 && comp != 4) {
                r.put("op", Long.parseLong(op));
            }
            final String imsi = layer.firstShow("e212.imsi");
            if (imsi != null) {
                r.put("imsi", imsi);
            } else if (begin && dialogueImsi != null) {
                r.put("imsi", dialogueImsi);
            }
            if (cap) {
                capFields(layer, r);
            } else {
                mapFields(layer, r);
            }
            location(layer, r);
            out.add(r);
        }
        return out;
    }

    private static int componentType(final PdmlNode layer) {
        for (final PdmlNode n : all(layer)) {
            final String name = n.name();
            if (name.endsWith(".invoke_element")) {
                return 1;
            }
            if (name.endsWith(".returnResultLast_element") || name.equals("camel.returnResult_element")) {
                return 2;
            }
            if (name.endsWith(".returnError_element")) {
                return 3;
            }
            if (name.endsWith(".reject_element")) {
                return 4;
            }
            if (name.endsWith(".returnResultNotLast_element")) {
                return 7;
            }
        }
        return -1;
    }

    private void mapFields(final PdmlNode layer, final FieldRecord r) {
        for (final PdmlNode n : all(layer)) {
            final String name = n.name();
            if (!r.has("msisdn") && (name.startsWith("gsm_map.") || name.startsWith("gsm_old.")) && name.endsWith(".msisdn")) {
                String digits = n.firstShow("e164.msisdn");
                if (digits == null) {
                    digits = n.firstShow("gsm_map.address.digits"); // a national number has no E.164 subtree
                }
                if (digits != null && !digits.isEmpty()) {
                    r.put("msisdn", national(n) ? countryCode + digits : digits);
                }
            }
            if (!r.has("imei") && name.equals("gsm_map.ms.imei")) {
                final String digits = tbcd(n.value());
                if (digits.length() >= 15) {
                    r.put("imei", digits.substring(0, 14));
                }
            }
        }
    }

    private void capFields(final PdmlNode layer, final FieldRecord r) {
        final PdmlNode calling = layer.first("camel.callingPartyNumber");
        if (calling != null) {
            final String digits = calling.firstShow("e164.calling_party_number.digits");
            final String nai = calling.firstShow("isup.calling_party_nature_of_address_indicator");
            if (digits != null && !digits.isEmpty()) {
                r.put("msisdn", "3".equals(nai) ? countryCode + digits : digits);
            }
        }
        final String bcd = layer.firstShow("gsm_a.dtap.cld_party_bcd_num");
        if (bcd != null && !bcd.isEmpty()) {
            r.put("called", bcd);
        } else {
            final PdmlNode called = layer.first("camel.calledPartyNumber");
            final String digits = called == null ? null : called.firstShow("isup.called");
            if (digits != null) {
                final int st = digits.indexOf('F');
                final String d = st >= 0 ? digits.substring(0, st) : digits;
                if (!d.isEmpty()) {
                    r.put("called", d);
                }
            }
        }
    }

    /** A location information's cell (cellGlobalIdOrServiceAreaIdFixedLength) or LAI, from its octets. */
    private static void location(final PdmlNode layer, final FieldRecord r) {
        final PdmlNode cgi = layer.first("gsm_map.cellGlobalIdOrServiceAreaIdFixedLength");
        final PdmlNode lai = layer.first("gsm_map.laiFixedLength");
        final PdmlNode n = cgi != null ? cgi : lai;
        if (n == null) {
            return;
        }
        final String hex = n.value();
        if (hex.length() != (cgi != null ? 14 : 10)) {
            return;
        }
        final int[] b = new int[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        final int mcc = (b[0] & 0xF) * 100 + (b[0] >> 4) * 10 + (b[1] & 0xF);
        final int mnc3 = b[1] >> 4;
        final int mnc = mnc3 == 0xF ? (b[2] & 0xF) * 10 + (b[2] >> 4) : (b[2] & 0xF) * 100 + (b[2] >> 4) * 10 + mnc3;
        r.put("mcc", mcc).put("mnc", mnc).put("lac", b[3] << 8 | b[4]);
        if (cgi != null) {
            r.put("ci", b[5] << 8 | b[6]);
        }
    }

    /** An AddressString of national nature (TS 29.002 §17.7.8: nature of address 2). */
    private static boolean national(final PdmlNode addressString) {
        final String nature = addressString.firstShow("gsm_map.nature_of_number");
        return nature != null && PdmlNode.number(nature) == 2;
    }

    private static String tbcd(final String hex) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < hex.length(); i += 2) {
            final int lo = Character.digit(hex.charAt(i + 1), 16);
            final int hi = Character.digit(hex.charAt(i), 16);
            if (lo > 9) {
                break;
            }
            sb.append((char) ('0' + lo));
            if (hi > 9) {
                break;
            }
            sb.append((char) ('0' + hi));
        }
        return sb.toString();
    }

    private static List<PdmlNode> all(final PdmlNode root) {
        final List<PdmlNode> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(final PdmlNode n, final List<PdmlNode> out) {
        for (final PdmlNode c : n.children()) {
            out.add(c);
            collect(c, out);
        }
    }

    private static void putNumber(final FieldRecord r, final String key, final String shown) {
        if (shown != null && !shown.isEmpty()) {
            r.put(key, PdmlNode.number(shown));
        }
    }

    private static void putDigits(final FieldRecord r, final String key, final String shown) {
        if (shown != null && !shown.isEmpty()) {
            r.put(key, shown);
        }
    }
}
