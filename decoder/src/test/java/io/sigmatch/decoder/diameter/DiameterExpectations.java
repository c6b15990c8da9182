package io.sigmatch.decoder.diameter;

import io.sigmatch.decoder.Outcome;
import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.tshark.FieldRecord;
import io.sigmatch.decoder.tshark.PdmlNode;
import io.sigmatch.decoder.tshark.PdmlPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * What `sigmatch decode` must print for each Diameter message, derived from tshark's dissection
 * tree: raw values come from Wireshark's fields (diameter.User-Name, e212.imsi, e164.msisdn,
 * diameter.IMEI, e212.*.mcc, gtpv2.tai_tac, gtpv2.ecgi_eci ...); only the choices the package
 * documentation states are applied here: which AVP, in which grouped AVP, is "the" IMSI / MSISDN /
 * IMEI / location (the first in message order among the places listed), how a User-Name or a
 * Public-Identity becomes an IMSI or a number, and which result codes mean accepted.
 */
final class DiameterExpectations {
    /** Keys compared with tshark ("proto" and "event" have no tshark counterpart). */
    static final List<String> KEYS = List.of("frame", "time", "msg", "cmd", "request", "outcome", "imsi", "msisdn",
        "imei", "imeisv", "mcc", "mnc", "tac", "lac", "eci", "ci", "nci", "rat", "called", "apn");

    private final int countryCode;

    DiameterExpectations(final int countryCode) {
        this.countryCode = countryCode;
    }

    /** One record per Diameter message of the frame, in order. */
    List<FieldRecord> of(final PdmlPacket packet) {
        final List<FieldRecord> out = new ArrayList<>();
        for (final PdmlNode layer : packet.protocols("diameter")) {
            if (layer.child("diameter.cmd.code") == null) {
                continue;
            }
            out.add(message(packet, layer));
        }
        return out;
    }

    static int command(final PdmlNode layer) {
        return (int) PdmlNode.number(layer.childShow("diameter.cmd.code"));
    }

    static boolean request(final PdmlNode layer) {
        final PdmlNode flags = layer.child("diameter.flags");
        return flags != null && "1".equals(flags.childShow("diameter.flags.request"));
    }

    /** The AVPs directly inside a message layer or grouped AVP (tshark puts subtrees in between). */
    static List<PdmlNode> avps(final PdmlNode node) {
        final List<PdmlNode> out = new ArrayList<>();
        for (final PdmlNode c : node.children()) {
            collectAvps(c, out);
        }
        return out;
    }

    private static void collectAvps(final PdmlNode n, final List<PdmlNode> out) {
        if (n.name().equals("diameter.avp")) {
            out.add(n);
            return;
        }
        for (final PdmlNode c : n.children()) {
            collectAvps(c, out);
        }
    }

    static int code(final PdmlNode avp) {
        final String c = avp.childShow("diameter.avp.code");
        return c == null ? -1 : (int) PdmlNode.number(c);
    }

    static long vendor(final PdmlNode avp) {
        final String v = avp.childShow("diameter.avp.vendorId");
        return v == null ? 0 : PdmlNode.number(v);
    }

    /** State of one message's walk, mirroring the decoder's "first one wins" rules. */
    private final class Walk {
        final int application;
        String imsi;
        boolean imsiSeen;
        String msisdn;
        boolean msisdnSeen;
        String imei;
        String imeisv;
        boolean imeiSeen;
        String visitedMcc;
        String visitedMnc;
        String sgsnPlmn;
        boolean sgsnSeen;
        String rat;
        boolean ratSeen;
        PdmlNode uli;
        boolean uliSeen;
        String apn;
        boolean apnSeen;
        String called;
        Long result;
        Long experimental;
        int ccType;

        Walk(final int application) {
            this.application = application;
        }

        void walk(final PdmlNode node, final String parent) {
            for (final PdmlNode avp : avps(node)) {
                final int code = code(avp);
                final long vendor = vendor(avp);
                final String here = (vendor == 10415 ? "3gpp:" : "") + code;
                if (grouped(code, vendor)) {
                    walk(avp, here);
                    if (code == 443 && vendor == 0) {
                        subscriptionId(avp);
                    } else if (code == 458 && vendor == 0) {
                        userEquipmentInfo(avp);
                    } else if (code == 1401 && vendor == 10415) {
                        terminalInformation(avp);
                    }
                    continue;
                }
                read(avp, code, vendor, parent);
            }
        }

        void read(final PdmlNode avp, final int code, final long vendor, final String parent) {
            final boolean top = parent.isEmpty();
            if (vendor == 0) {
                switch (code) {
                    case 1:
                        if ((top || parent.equals("3gpp:3102")) && !imsiSeen) {
                            userName(avp.firstShow("diameter.User-Name"));
                        }
                        break;
                    case 268:
                        if (top && result == null) {
                            result = PdmlNode.number(avp.firstShow("diameter.Result-Code"));
                        }
                        break;
                    case 298:
                        if (parent.equals("297") && experimental == null) {
                            experimental = PdmlNode.number(avp.firstShow("diameter.Experimental-Result-Code"));
                        }
                        break;
                    case 416:
                        if (top && ccType == 0) {
                            final long t = PdmlNode.number(avp.firstShow("diameter.CC-Request-Type"));
                            ccType = t >= 1 && t <= 4 ? (int) t : -1;
                        }
                        break;
                    case 30:
                        if ((top || parent.equals("3gpp:874")) && !apnSeen) {
                            apnSeen = true;
                            final String a = avp.firstShow("diameter.Called-Station-Id");
                            if (a != null && !a.isEmpty() && a.length() <= 100 && a.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                                apn = a;
                            }
                        }
                        break;
                    default:
                        break;
                }
                return;
            }
            if (vendor != 10415) {
                return;
            }
            switch (code) {
                case 1407:
                    if (top && visitedMcc == null && avp.firstShow("e212.mcc") != null) {
                        visitedMcc = avp.firstShow("e212.mcc");
                        visitedMnc = avp.firstShow("e212.mnc");
                    }
                    break;
                case 18:
                    if ((top || parent.equals("3gpp:874")) && !sgsnSeen) {
                        sgsnSeen = true;
                        final String s = avp.firstShow("diameter.3GPP-SGSN-MCC-MNC");
                        if (s != null && (s.length() == 5 || s.length() == 6) && digits(s)) {
                            sgsnPlmn = s;
                        }
                    }
                    break;
                case 1032:
                    if (top && !ratSeen) {
                        ratSeen = true;
                        final Rat r = DiameterDecoder.ratOf(PdmlNode.number(avp.firstShow("diameter.RAT-Type")));
                        if (r != Rat.UNKNOWN) {
                            rat = r.name();
                        }
                    }
                    break;
                case 22:
                    if ((top || parent.equals("3gpp:874")) && !uliSeen) {
                        uliSeen = true;
                        uli = avp;
                    }
                    break;
                case 20:
                    if (top && !imeiSeen) {
                        imeiValue(avp.firstShow("diameter.3GPP-IMEISV") == null ? null
                            : avp.child("diameter.3GPP-IMEISV").value());
                    }
                    break;
                case 701:
                    if ((top || parent.equals("3gpp:1400") || parent.equals("3gpp:700") || parent.equals("3gpp:3102"))
                        && !msisdnSeen) {
                        final String e164 = avp.firstShow("e164.msisdn");
                        if (e164 != null && digits(e164) && e164.length() <= 15) {
                            msisdnSeen = true;
                            msisdn = e164;
                        }
                    }
                    break;
                case 601:
                    if ((top || parent.equals("3gpp:700")) && !msisdnSeen) {
                        publicIdentity(avp.firstShow("diameter.Public-Identity"));
                    }
                    break;
                case 3301:
                    if (top && called == null) {
                        // tshark hands SM-RP-UI to its GSM SMS dissector: TP-MTI 1 (SUBMIT) has TP-DA
                        final String mti = avp.firstShow("gsm_sms.tp-mti");
                        final String da = avp.firstShow("gsm_sms.tp-da");
                        final String type = avp.firstShow("gsm_sms.dis_field_addr.num_type");
                        if ("1".equals(mti) && da != null && !"5".equals(type) && digits(da) && da.length() <= 15) {
                            called = "2".equals(type) ? national(da) : da;
                        }
                    }
                    break;
                case 606:
                case 702:
                    if (top && !msisdnSeen) {
                        final PdmlNode data = avp.child(code == 606 ? "diameter.Cx-User-Data" : "diameter.Sh-User-Data");
                        if (data != null) {
                            userData(hexText(data.value()));
                        }
                    }
                    break;
                default:
                    break;
            }
        }

        /** Identity, IMSPublicIdentity and MSISDN elements in document order; the first number wins. */
        void userData(final String xml) {
            final java.util.regex.Matcher e = java.util.regex.Pattern
                .compile("<(?i)(identity|imspublicidentity|msisdn)>([^<]*)").matcher(xml);
            while (!msisdnSeen && e.find()) {
                if (e.group(1).equalsIgnoreCase("msisdn")) {
                    final String d = e.group(2).startsWith("+") ? e.group(2).substring(1) : e.group(2);
                    if (!d.isEmpty() && d.length() <= 15 && digits(d)) {
                        msisdnSeen = true;
                        msisdn = d;
                    }
                } else {
                    publicIdentity(e.group(2));
                }
            }
        }

        String national(final String number) {
            final String n = number.length() > 1 && number.charAt(0) == '0' ? number.substring(1) : number;
            final String i = countryCode + n;
            return i.length() <= 15 ? i : null;
        }

        void userName(final String name) {
            if (name == null) {
                return;
            }
            String s = name;
            if ((application == 16777216 || application == 16777217) && s.indexOf('@') >= 0) {
                s = s.substring(0, s.indexOf('@'));
            }
            if (s.length() >= 6 && s.length() <= 15 && digits(s)) {
                imsiSeen = true;
                imsi = s;
            }
        }

        void subscriptionId(final PdmlNode group) {
            String type = null;
            String data = null;
            for (final PdmlNode a : avps(group)) {
                if (code(a) == 450 && vendor(a) == 0) {
                    type = a.firstShow("diameter.Subscription-Id-Type");
                } else if (code(a) == 444 && vendor(a) == 0 && data == null) {
                    data = a.firstShow("diameter.Subscription-Id-Data");
                }
            }
            if (type == null || data == null) {
                return;
            }
            if (type.equals("1") && !imsiSeen) {
                if (data.length() >= 6 && data.length() <= 15 && digits(data)) {
                    imsiSeen = true;
                    imsi = data;
                }
            } else if (type.equals("0") && !msisdnSeen) {
                final String d = data.startsWith("+") ? data.substring(1) : data;
                if (!d.isEmpty() && d.length() <= 15 && digits(d)) {
                    msisdnSeen = true;
                    msisdn = d;
                }
            }
        }

        void userEquipmentInfo(final PdmlNode group) {
            String type = null;
            String hex = null;
            for (final PdmlNode a : avps(group)) {
                if (code(a) == 459 && vendor(a) == 0) {
                    type = a.firstShow("diameter.User-Equipment-Info-Type");
                } else if (code(a) == 460 && vendor(a) == 0 && hex == null) {
                    final PdmlNode v = a.child("diameter.User-Equipment-Info-Value");
                    hex = v == null ? null : v.value();
                }
            }
            if ("0".equals(type) && hex != null && !imeiSeen) {
                imeiValue(hex);
            }
        }

        void terminalInformation(final PdmlNode group) {
            if (imeiSeen) {
                return;
            }
            String i = null;
            String sv = null;
            for (final PdmlNode a : avps(group)) {
                if (code(a) == 1402 && vendor(a) == 10415 && i == null) {
                    i = a.firstShow("diameter.IMEI");
                } else if (code(a) == 1403 && vendor(a) == 10415 && sv == null) {
                    sv = a.firstShow("diameter.Software-Version");
                }
            }
            if (i == null || !(i.length() == 14 || i.length() == 15) || !digits(i)) {
                return;
            }
            imeiSeen = true;
            imei = i.substring(0, 14);
            if (sv != null && sv.length() == 2 && digits(sv)) {
                imeisv = imei + sv;
            }
        }

        /** UEI value / 3GPP-IMEISV from the raw octets tshark shows: ASCII digits, or 8 octets of TBCD. */
        void imeiValue(final String hex) {
            if (hex == null) {
                return;
            }
            final StringBuilder ascii = new StringBuilder();
            boolean allDigits = true;
            for (int k = 0; k + 1 < hex.length(); k += 2) {
                final int b = Integer.parseInt(hex.substring(k, k + 2), 16);
                if (b < '0' || b > '9') {
                    allDigits = false;
                }
                ascii.append((char) b);
            }
            String d = null;
            if (allDigits && ascii.length() >= 14 && ascii.length() <= 16) {
                d = ascii.toString();
            } else if (hex.length() == 16) {
                final StringBuilder t = new StringBuilder();
                for (int k = 0; k < 16; k += 2) {
                    t.append(hex.charAt(k + 1)).append(hex.charAt(k));
                }
                String s = t.toString().toLowerCase();
                if (s.endsWith("f")) {
                    s = s.substring(0, s.length() - 1);
                }
                if (digits(s)) {
                    d = s;
                }
            }
            if (d == null) {
                return;
            }
            imeiSeen = true;
            imei = d.substring(0, 14);
            if (d.length() == 16) {
                imeisv = d;
            }
        }

        void publicIdentity(final String uri) {
            if (uri == null) {
                return;
            }
            final String lower = uri.toLowerCase();
            String rest;
            final boolean tel;
            if (lower.startsWith("tel:")) {
                rest = uri.substring(4);
                tel = true;
            } else if (lower.startsWith("sip:")) {
                rest = uri.substring(4);
                tel = false;
            } else if (lower.startsWith("sips:")) {
                rest = uri.substring(5);
                tel = false;
            } else {
                return;
            }
            final boolean plus = rest.startsWith("+");
            if (plus) {
                rest = rest.substring(1);
            }
            if (!tel && !plus && !lower.contains(";user=phone")) {
                return;
            }
            final StringBuilder n = new StringBuilder();
            for (final char c : rest.toCharArray()) {
                if (c == ';' || c == '@' || c == '?' || c == '>') {
                    break;
                }
                if (c == '-' || c == '.' || c == '(' || c == ')') {
                    continue;
                }
                if (c < '0' || c > '9' || n.length() >= 15) {
                    return;
                }
                n.append(c);
            }
            if (n.length() == 0) {
                return;
            }
            String number = n.toString();
            if (!plus) {
                if (number.length() > 1 && number.charAt(0) == '0') {
                    number = number.substring(1);
                }
                number = countryCode + number;
                if (number.length() > 15) {
                    return;
                }
            }
            msisdnSeen = true;
            msisdn = number;
        }
    }

    static boolean grouped(final int code, final long vendor) {
        return DiameterDecoder.isGrouped(code, (int) vendor);
    }

    private FieldRecord message(final PdmlPacket packet, final PdmlNode layer) {
        final FieldRecord r = new FieldRecord().put("frame", packet.frame()).put("time", packet.timeEpoch());
        final int cmd = command(layer);
        final boolean request = request(layer);
        final Walk w = new Walk((int) PdmlNode.number(layer.childShow("diameter.applicationId")));
        w.walk(layer, "");
        final String name = DiameterCommand.name(cmd, request, Math.max(w.ccType, 0));
        r.put("msg", name == null ? (request ? "unknown request" : "unknown answer") : name);
        r.put("cmd", cmd);
        r.put("request", request ? 1 : 0);
        if (!request) {
            final Long code = w.result != null ? w.result : w.experimental;
            final Outcome o = code == null ? null : DiameterDecoder.outcomeOf(code);
            if (o != null) {
                r.put("outcome", o.jsonName);
            }
        }
        if (w.imsi != null) {
            r.put("imsi", w.imsi);
        }
        if (w.msisdn != null) {
            r.put("msisdn", w.msisdn);
        }
        if (w.imei != null) {
            r.put("imei", w.imei);
        }
        if (w.imeisv != null) {
            r.put("imeisv", w.imeisv);
        }
        String[] plmn = null;
        if (w.uli != null) {
            plmn = location(w.uli, r);
        }
        if (plmn == null) {
            if (w.visitedMcc != null) {
                plmn = new String[] {w.visitedMcc, w.visitedMnc};
            } else if (w.sgsnPlmn != null) {
                final int mncDigits = w.sgsnPlmn.length() - 3;
                plmn = new String[] {w.sgsnPlmn.substring(0, 3), w.sgsnPlmn.substring(3, 3 + mncDigits)};
            }
        }
        if (plmn != null) {
            r.put("mcc", Long.parseLong(plmn[0]));
            r.put("mnc", Long.parseLong(plmn[1]));
        }
        // JSON key order of SignalingJson: mcc, mnc before tac...; FieldRecord equality ignores order
        if (w.rat != null) {
            r.put("rat", w.rat);
        }
        if (w.called != null) {
            r.put("called", w.called);
        }
        if (w.apn != null) {
            r.put("apn", w.apn);
        }
        return r.project(KEYS);
    }

    /**
     * tac, lac, eci, ci, nci from tshark's decode of the 3GPP-User-Location-Info; returns the PLMN
     * (mcc, mnc) of the cell part, else of the TAI part, or null.
     */
    private static String[] location(final PdmlNode uli, final FieldRecord r) {
        final String glt = uli.firstShow("gtpv2.glt");
        if (glt == null) {
            return null;
        }
        final int type = Integer.parseInt(glt);
        String[] tai = null;
        String[] cell = null;
        for (final String part : new String[] {"tai", "5gstai"}) {
            if (uli.firstShow("e212." + part + ".mcc") != null) {
                tai = new String[] {uli.firstShow("e212." + part + ".mcc"), uli.firstShow("e212." + part + ".mnc")};
            }
        }
        for (final String part : new String[] {"ecgi", "cgi", "sai", "rai", "nrcgi"}) {
            if (uli.firstShow("e212." + part + ".mcc") != null) {
                cell = new String[] {uli.firstShow("e212." + part + ".mcc"), uli.firstShow("e212." + part + ".mnc")};
            }
        }
        if (cell == null && (type == 131 || type == 132 || type == 133 || type == 134)) {
            // Wireshark shows the eNodeB part's PLMN as e212.mcc / e212.mnc
            final List<PdmlNode> mccs = uli.descendants("e212.mcc");
            final List<PdmlNode> mncs = uli.descendants("e212.mnc");
            if (!mccs.isEmpty() && !mncs.isEmpty()) {
                cell = new String[] {mccs.get(mccs.size() - 1).show(), mncs.get(mncs.size() - 1).show()};
            }
        }
        number(r, "tac", uli.firstShow("gtpv2.tai_tac"));
        number(r, "tac", uli.firstShow("gtpv2.5gs_tac"));
        number(r, "tac", uli.firstShow("gtpv2.5gs_tai_tac"));
        number(r, "eci", uli.firstShow("gtpv2.ecgi_eci"));
        number(r, "nci", uli.firstShow("gtpv2.ncgi_nrci"));
        String lac = uli.firstShow("gtpv2.uli_cgi_lac");
        for (final String other : new String[] {"gtpv2.sai_lac", "gtpv2.rai_lac"}) {
            if (lac == null) {
                lac = uli.firstShow(other);
            }
        }
        number(r, "lac", lac);
        number(r, "ci", uli.firstShow("gtpv2.uli_cgi_ci"));
        return cell != null ? cell : tai;
    }

    private static void number(final FieldRecord r, final String key, final String shown) {
        if (shown != null) {
            r.put(key, PdmlNode.number(shown));
        }
    }

    static String hexText(final String hex) {
        final StringBuilder t = new StringBuilder(hex.length() / 2);
        for (int k = 0; k + 1 < hex.length(); k += 2) {
            t.append((char) Integer.parseInt(hex.substring(k, k + 2), 16));
        }
        return t.toString();
    }

    static boolean digits(final String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
