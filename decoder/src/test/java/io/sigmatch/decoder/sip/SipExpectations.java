package io.sigmatch.decoder.sip;

import io.sigmatch.decoder.tshark.FieldRecord;
import io.sigmatch.decoder.tshark.PdmlNode;
import io.sigmatch.decoder.tshark.PdmlPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What `sigmatch decode` must print for each SIP message, derived from tshark's dissection tree. Raw
 * values are Wireshark's fields (sip.Method, sip.Status-Code, sip.Call-ID, sip.CSeq.seq, sip.r-uri,
 * sip.from.addr, sip.to.addr, sip.pai.addr, sip.ppi.addr, sip.contact.parameter, the
 * P-Access-Network-Info access-type and cell parameter, sip.Diversion); only the choices of the package
 * documentation are applied here, in plain String code independent of the decoder's: which header
 * is the calling number, the called number and the subscriber, how a URI becomes a number in
 * international form or an IMSI, how the cell string splits into MCC, MNC, TAC/LAC and cell id.
 */
final class SipExpectations {
    /** Keys compared with tshark ("proto" and "event" have no tshark counterpart). */
    static final List<String> KEYS = List.of("frame", "time", "msg", "outcome", "callId", "cseq", "ruriUser",
        "fromUser", "toUser", "paiUser", "imsi", "msisdn", "calling", "called", "imei", "imeisv", "mcc", "mnc", "tac",
        "lac", "eci", "ci", "nci", "rat");

    private static final Set<String> METHODS = Set.of("INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "PRACK",
        "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE");
    private static final Pattern IMS_HOST = Pattern.compile("ims\\.mnc(\\d{3})\\.mcc(\\d{3})\\.3gppnetwork\\.org",
        Pattern.CASE_INSENSITIVE);
    private static final Pattern IMEI = Pattern.compile("\\+sip\\.instance=\"?<urn:gsma:imei:(\\d{8})-(\\d{6})-(\\d)"
        + "(;svn=(\\d\\d))?", Pattern.CASE_INSENSITIVE);

    private final String countryCode;
    private final int nationalMinDigits;

    SipExpectations(final int countryCode, final int nationalMinDigits) {
        this.countryCode = Integer.toString(countryCode);
        this.nationalMinDigits = nationalMinDigits;
    }

    /** One record per SIP message of the frame, in order (a TCP segment may complete two). */
    List<FieldRecord> of(final PdmlPacket packet) {
        final List<FieldRecord> out = new ArrayList<>();
        for (final PdmlNode layer : packet.protocols("sip")) {
            final boolean request = layer.first("sip.Method") != null && layer.first("sip.Request-Line") != null;
            final boolean response = layer.first("sip.Status-Code") != null;
            if (!request && !response) {
                continue;
            }
            out.add(message(packet, layer, request));
        }
        return out;
    }

    private FieldRecord message(final PdmlPacket p, final PdmlNode layer, final boolean request) {
        final FieldRecord r = new FieldRecord();
        r.put("frame", p.frame()).put("time", p.timeEpoch());
        final String cseqMethod = layer.firstShow("sip.CSeq.method");
        if (request) {
            final String m = layer.firstShow("sip.Method");
            r.put("msg", METHODS.contains(m) ? m : "unknown request");
        } else {
            final int status = (int) PdmlNode.number(layer.firstShow("sip.Status-Code"));
            r.put("msg", (SipMethod.registered(status) ? Integer.toString(status) : status / 100 + "xx") + " ("
                + (cseqMethod != null && METHODS.contains(cseqMethod) ? cseqMethod : "unknown") + ")");
            if (status >= 200) {
                r.put("outcome", status < 300 ? "accepted" : "rejected");
            }
        }
        putShow(r, "callId", layer.firstShow("sip.Call-ID"));
        if (layer.firstShow("sip.CSeq.seq") != null) {
            r.put("cseq", PdmlNode.number(layer.firstShow("sip.CSeq.seq")));
        }
        putShow(r, "ruriUser", request ? layer.firstShow("sip.r-uri.user") : null);
        putShow(r, "fromUser", layer.firstShow("sip.from.user"));
        putShow(r, "toUser", layer.firstShow("sip.to.user"));
        putShow(r, "paiUser", layer.firstShow("sip.pai.user"));

        final List<String> pai = shows(layer, "sip.pai.addr");
        final List<String> ppi = shows(layer, "sip.ppi.addr");
        final String from = layer.firstShow("sip.from.addr");
        final String to = layer.firstShow("sip.to.addr");
        final String ruri = request ? layer.firstShow("sip.r-uri") : null;
        String calling = null;
        if (request) {
            calling = firstNumber(pai);
            if (calling == null) {
                calling = firstNumber(ppi);
            }
        }
        if (calling == null) {
            calling = number(from);
        }
        String called = request ? number(ruri) : null;
        final String toNumber = number(to);
        if (called == null) {
            called = toNumber;
        }
        final boolean register = request && "REGISTER".equals(layer.firstShow("sip.Method"));
        String msisdn = register ? toNumber : calling;
        String imsi = imsi(to);
        if (imsi == null) {
            imsi = imsi(from);
        }
        if (imsi == null) {
            for (final String a : pai) {
                if (imsi == null) {
                    imsi = imsi(a);
                }
            }
        }
        // 3GPP SMS body (TS 24.341): TP-DA of an SMS-SUBMIT is the called number, TP-OA of an SMS-DELIVER the calling
        final String method = request ? layer.firstShow("sip.Method") : null;
        if ("MESSAGE".equals(method)) {
            final String da = layer.firstShow("gsm_sms.tp-da");
            if (da != null) {
                final String n = smsAddress(layer, da);
                called = n != null ? n : called;
            }
            final String oa = layer.firstShow("gsm_sms.tp-oa");
            if (oa != null) {
                final String n = smsAddress(layer, oa);
                calling = n != null ? n : calling;
            }
            final boolean mt = mtMessage(p, layer);
            if (mt && called != null) {
                msisdn = called;
            }
        }
        // forwarding: 181, 302, 3xx with Diversion, INVITE with Diversion
        final String status = layer.firstShow("sip.Status-Code");
        final int s = status == null ? 0 : (int) PdmlNode.number(status);
        final List<String> diversion = entries(shows(layer, "sip.Diversion"));
        final boolean forwarding = !request && (s == 181 || s == 302 || s >= 300 && s < 400 && !diversion.isEmpty())
            || "INVITE".equals(method) && !diversion.isEmpty();
        if (forwarding) {
            String diverting = firstNumber(diversion);
            if (diverting == null) {
                diverting = firstNumber(entries(shows(layer, "sip.History-Info")));
            }
            if (diverting == null) {
                diverting = toNumber;
            }
            msisdn = diverting;
            if (!request) {
                final String target = firstNumber(contacts(layer));
                if (target != null) {
                    called = target;
                }
            }
        }
        putShow(r, "imsi", imsi);
        putShow(r, "msisdn", msisdn);
        putShow(r, "calling", calling);
        putShow(r, "called", called);
        imei(layer, r);
        pani(layer, r);
        return r;
    }

    private boolean mtMessage(final PdmlPacket p, final PdmlNode layer) {
        final String rp = layer.firstShow("gsm_a.rp.msg_type");
        if (rp != null) {
            return PdmlNode.number(rp) == 1;
        }
        final String served = layer.firstShow("sip.P-Served-User");
        if (served != null && served.toLowerCase(Locale.ROOT).contains("sescase=orig")) {
            return false;
        }
        if (served != null && served.toLowerCase(Locale.ROOT).contains("sescase=term")) {
            return true;
        }
        return layer.first("sip.P-Access-Network-Info") == null && layer.first("sip.P-Preferred-Identity") == null;
    }

    /** TS 23.040 9.1.2.5: type of number 1 international, 2 national (country code first), else local rules. */
    private String smsAddress(final PdmlNode layer, final String digits) {
        final String type = layer.firstShow("gsm_sms.dis_field_addr.num_type");
        if ("1".equals(type)) {
            return digits;
        }
        if ("5".equals(type)) {
            return null; // alphanumeric: no number
        }
        if ("2".equals(type)) {
            final String body = digits.startsWith("0") && digits.length() > 1 ? digits.substring(1) : digits;
            return (countryCode + body).length() > 15 ? null : countryCode + body;
        }
        return international(digits);
    }

    private static void putShow(final FieldRecord r, final String key, final String value) {
        if (value != null) {
            r.put(key, value);
        }
    }

    private static List<String> shows(final PdmlNode layer, final String field) {
        final List<String> out = new ArrayList<>();
        for (final PdmlNode n : layer.descendants(field)) {
            out.add(n.show());
        }
        return out;
    }

    private static List<String> contacts(final PdmlNode layer) {
        return shows(layer, "sip.contact.uri");
    }

    /** Splits raw header values at commas outside quotes and angle brackets, and takes each URI. */
    private static List<String> entries(final List<String> values) {
        final List<String> out = new ArrayList<>();
        for (final String v : values) {
            int depth = 0;
            boolean quoted = false;
            int start = 0;
            for (int i = 0; i <= v.length(); i++) {
                final char c = i < v.length() ? v.charAt(i) : ',';
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && c == '<') {
                    depth++;
                } else if (!quoted && c == '>') {
                    depth--;
                } else if (!quoted && depth == 0 && c == ',') {
                    final String e = v.substring(start, Math.min(i, v.length())).trim();
                    final int lt = e.indexOf('<');
                    final int gt = e.indexOf('>');
                    out.add(lt >= 0 && gt > lt ? e.substring(lt + 1, gt) : e.split(";")[0]);
                    start = i + 1;
                }
            }
        }
        return out;
    }

    private String firstNumber(final List<String> uris) {
        for (final String u : uris) {
            final String n = number(u);
            if (n != null) {
                return n;
            }
        }
        return null;
    }

    /** The package documentation's number rules, on the URI text. */
    String number(final String uri) {
        if (uri == null) {
            return null;
        }
        final int colon = uri.indexOf(':');
        if (colon < 0) {
            return null;
        }
        final String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        final String rest = uri.substring(colon + 1);
        String user;
        String params;
        boolean userPhone = false;
        if (scheme.equals("tel")) {
            final int semi = rest.indexOf(';');
            user = semi < 0 ? rest : rest.substring(0, semi);
            params = semi < 0 ? "" : rest.substring(semi);
        } else if (scheme.equals("sip") || scheme.equals("sips")) {
            final int at = rest.indexOf('@');
            if (at < 0) {
                return null;
            }
            final String userinfo = rest.substring(0, at);
            final int pw = userinfo.indexOf(':');
            final String noPassword = pw < 0 ? userinfo : userinfo.substring(0, pw);
            final int semi = noPassword.indexOf(';');
            user = semi < 0 ? noPassword : noPassword.substring(0, semi);
            params = (semi < 0 ? "" : noPassword.substring(semi)) + hostParams(rest.substring(at + 1));
            userPhone = params.toLowerCase(Locale.ROOT).matches(".*;\\s*user\\s*=\\s*phone(;.*|$)");
            if (!user.startsWith("+") && !userPhone && imsi(uri) != null) {
                return null;
            }
        } else {
            return null;
        }
        final boolean plus = user.startsWith("+");
        final String body = (plus ? user.substring(1) : user).replaceAll("[-.()]", "");
        if (body.isEmpty() || !body.chars().allMatch(Character::isDigit) || body.length() > 15) {
            return null;
        }
        if (plus) {
            return body;
        }
        final Matcher ctx = Pattern.compile(";\\s*phone-context\\s*=\\s*([^;?,>\\s]*)", Pattern.CASE_INSENSITIVE)
            .matcher(params);
        if (ctx.find() && ctx.group(1).startsWith("+")) {
            final String g = ctx.group(1).substring(1).replaceAll("[-.()]", "");
            return (g + body).length() > 15 || !g.chars().allMatch(Character::isDigit) ? null : g + body;
        }
        return international(body);
    }

    private static String hostParams(final String hostAndParams) {
        final int semi = hostAndParams.indexOf(';');
        if (semi < 0) {
            return "";
        }
        final int q = hostAndParams.indexOf('?', semi);
        return q < 0 ? hostAndParams.substring(semi) : hostAndParams.substring(semi, q);
    }

    /** A local number: 00 → international; 0 trunk prefix dropped + country code; short codes as dialled. */
    String international(final String local) {
        if (local.startsWith("00") && local.length() > 2) {
            return local.substring(2);
        }
        String body = local;
        if (local.startsWith("0") && local.length() > 1) {
            body = local.substring(1);
        } else if (local.length() < nationalMinDigits) {
            return local;
        }
        if (body.length() < nationalMinDigits) {
            return local;
        }
        final String n = countryCode + body;
        return n.length() > 15 ? null : n;
    }

    /** TS 23.003 13.4B: sip:IMSI@ims.mncMNC.mccMCC.3gppnetwork.org. */
    static String imsi(final String uri) {
        if (uri == null || !uri.toLowerCase(Locale.ROOT).startsWith("sip")) {
            return null;
        }
        final int colon = uri.indexOf(':');
        final int at = uri.indexOf('@');
        if (at < 0 || colon < 0 || colon > at) {
            return null;
        }
        String user = uri.substring(colon + 1, at);
        final int cut = user.indexOf(';') >= 0 ? user.indexOf(';') : user.indexOf(':');
        if (cut >= 0) {
            user = user.substring(0, cut);
        }
        String host = uri.substring(at + 1);
        for (final char c : new char[] {':', ';', '?', '>'}) {
            if (host.indexOf(c) >= 0) {
                host = host.substring(0, host.indexOf(c));
            }
        }
        final Matcher m = IMS_HOST.matcher(host);
        if (!m.matches() || user.length() < 6 || user.length() > 15 || !user.chars().allMatch(Character::isDigit)) {
            return null;
        }
        final String mnc = m.group(1);
        final String mcc = m.group(2);
        if (!user.startsWith(mcc)) {
            return null;
        }
        final boolean three = user.startsWith(mcc + mnc);
        final boolean two = mnc.startsWith("0") && user.startsWith(mcc + mnc.substring(1));
        return three || two ? user : null;
    }

    private static void imei(final PdmlNode layer, final FieldRecord r) {
        for (final PdmlNode n : layer.descendants("sip.contact.parameter")) {
            final Matcher m = IMEI.matcher(n.show());
            if (m.find()) {
                final String body = m.group(1) + m.group(2);
                r.put("imei", body);
                if (m.group(5) != null) {
                    r.put("imeisv", body + m.group(5));
                }
                return;
            }
        }
    }

    /** TS 24.229 7.2A.4, as the package documentation splits it. */
    private static void pani(final PdmlNode layer, final FieldRecord r) {
        final PdmlNode pani = layer.first("sip.P-Access-Network-Info");
        if (pani == null) {
            return;
        }
        String raw = pani.show();
        final int comma = raw.indexOf(',');
        if (comma >= 0) {
            raw = raw.substring(0, comma);
        }
        final String[] parts = raw.split(";");
        final String type = parts[0].trim().toUpperCase(Locale.ROOT);
        final String rat;
        final String[] names;
        final int rest;
        final int area;
        if (type.startsWith("3GPP-E-UTRAN")) {
            rat = "EUTRAN";
            names = new String[] {"utran-cell-id-3gpp"};
            rest = 11;
            area = 4;
        } else if (type.startsWith("3GPP-NR")) {
            rat = "NR";
            names = new String[] {"nr-cell-id-3gpp", "utran-cell-id-3gpp"};
            rest = 15;
            area = 6;
        } else if (type.startsWith("3GPP-UTRAN")) {
            rat = "UTRAN";
            names = new String[] {"utran-cell-id-3gpp"};
            rest = 11;
            area = 4;
        } else if (type.startsWith("3GPP-GERAN")) {
            rat = "GERAN";
            names = new String[] {"cgi-3gpp"};
            rest = 8;
            area = 4;
        } else {
            return;
        }
        r.put("rat", rat);
        String cell = null;
        for (final String name : names) {
            for (int i = 1; i < parts.length && cell == null; i++) {
                final String[] kv = parts[i].trim().split("=", 2);
                if (kv.length == 2 && kv[0].trim().equalsIgnoreCase(name)) {
                    cell = kv[1].trim().replace("\"", "");
                }
            }
        }
        if (cell == null) {
            return;
        }
        final Matcher hex = Pattern.compile("^[0-9A-Fa-f]*").matcher(cell);
        hex.find();
        cell = hex.group();
        final int mncDigits = cell.length() - 3 - rest;
        if (mncDigits != 2 && mncDigits != 3 || !cell.substring(0, 3 + mncDigits).chars().allMatch(Character::isDigit)) {
            return;
        }
        r.put("mcc", Long.parseLong(cell.substring(0, 3)));
        r.put("mnc", Long.parseLong(cell.substring(3, 3 + mncDigits)));
        final long a = Long.parseLong(cell.substring(3 + mncDigits, 3 + mncDigits + area), 16);
        final long c = Long.parseLong(cell.substring(3 + mncDigits + area), 16);
        switch (rat) {
            case "EUTRAN":
                r.put("tac", a).put("eci", c);
                break;
            case "NR":
                r.put("tac", a).put("nci", c);
                break;
            default:
                r.put("lac", a).put("ci", c);
                break;
        }
    }
}
