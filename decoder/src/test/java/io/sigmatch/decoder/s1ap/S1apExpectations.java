package io.sigmatch.decoder.s1ap;

import io.sigmatch.decoder.tshark.FieldRecord;
import io.sigmatch.decoder.tshark.PdmlNode;
import io.sigmatch.decoder.tshark.PdmlPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * What `sigmatch decode` (plus the decoder's id and NAS views) must show for each S1AP message,
 * derived from tshark's tree. Raw values come from Wireshark's fields (s1ap.procedureCode,
 * s1ap.MME_UE_S1AP_ID, s1ap.ENB_UE_S1AP_ID, e212.tai.*, s1ap.tAC, s1ap.CellIdentity, s1ap.m_TMSI;
 * inside the NAS-PDU nas_eps.security_header_type, nas_eps.nas_msg_emm_type, e212.imsi,
 * gsm_a.imei/imeisv, nas_eps.emm.m_tmsi). The choices the decoder documents are applied here:
 *
 * <ul>
 *   <li>the top-level ProtocolIE-Container is read, and the first NAS-PDU of InitialContextSetupRequest's
 *       E-RAB list (its Attach or TAU Accept); NAS in other E-RAB lists is not;</li>
 *   <li>msg = the message element's name, plus " (EMM message name)" when the top-level NAS-PDU is
 *       an EMM message of a NAS transport or InitialUEMessage (the SERVICE REQUEST of security header
 *       type 12 is "Service request");</li>
 *   <li>the cell's PLMN is the TAI's (the E-UTRAN CGI's when no TAI); rat EUTRAN with a cell;</li>
 *   <li>imei is the first 14 digits of an IMEI or IMEISV; the first identity in the NAS wins.</li>
 * </ul>
 */
final class S1apExpectations {
    static final List<String> KEYS = List.of("frame", "time", "msg", "pdu", "pc", "mme_id", "enb_id", "sec", "nas",
        "imsi", "imei", "imeisv", "m_tmsi", "s_tmsi", "mcc", "mnc", "tac", "eci", "rat");

    private S1apExpectations() {
    }

    static List<FieldRecord> of(final PdmlPacket packet) {
        final List<FieldRecord> out = new ArrayList<>();
        for (final PdmlNode layer : packet.protocols("s1ap")) {
            final PdmlNode pdu = layer.child("s1ap.S1AP_PDU");
            if (pdu == null || layer.first("s1ap.procedureCode") == null) {
                continue;
            }
            out.add(message(packet, layer, pdu));
        }
        return out;
    }

    private static FieldRecord message(final PdmlPacket packet, final PdmlNode layer, final PdmlNode pdu) {
        final FieldRecord r = new FieldRecord().put("frame", packet.frame()).put("time", packet.timeEpoch());
        final int type = Integer.parseInt(pdu.show());
        final int code = Integer.parseInt(layer.firstShow("s1ap.procedureCode"));
        String name = null;
        final PdmlNode value = layer.first("s1ap.value_element");
        if (value != null) {
            for (final PdmlNode c : value.children()) {
                if (c.name().endsWith("_element")) {
                    name = c.showname();
                    break;
                }
            }
        }
        r.put("pdu", type).put("pc", code);
        String mcc = null;
        String mnc = null;
        final PdmlNode ies = layer.first("s1ap.protocolIEs");
        String nasName = null;
        if (ies != null) {
            for (final PdmlNode item : ies.children()) {
                final PdmlNode field = item.child("s1ap.ProtocolIE_Field_element");
                if (field == null || field.childShow("s1ap.id") == null) {
                    continue;
                }
                final int id = Integer.parseInt(field.childShow("s1ap.id"));
                switch (id) {
                    case 0, 88 -> put(r, "mme_id", field.firstShow("s1ap.MME_UE_S1AP_ID"));
                    case 8 -> put(r, "enb_id", field.firstShow("s1ap.ENB_UE_S1AP_ID"));
                    case 99 -> {
                        put(r, "mme_id", field.firstShow("s1ap.MME_UE_S1AP_ID"));
                        put(r, "enb_id", field.firstShow("s1ap.ENB_UE_S1AP_ID"));
                    }
                    case 67 -> {
                        mcc = field.firstShow("e212.tai.mcc");
                        mnc = field.firstShow("e212.tai.mnc");
                        put(r, "tac", field.firstShow("s1ap.tAC"));
                    }
                    case 100 -> {
                        if (mcc == null) {
                            mcc = field.firstShow("e212.ecgi.mcc");
                            mnc = field.firstShow("e212.ecgi.mnc");
                        }
                        final String cell = field.firstShow("s1ap.CellIdentity");
                        if (cell != null) {
                            r.put("eci", PdmlNode.number(cell));
                        }
                    }
                    case 96 -> put(r, "s_tmsi", field.firstShow("s1ap.m_TMSI"));
                    case 26 -> nasName = nas(r, field);
                    case 24 -> {
                        if (field.first("nas_eps.security_header_type") != null || field.first("nas_eps.nas_msg_emm_type") != null) {
                            nasName = nas(r, field);   // depth first: the first item's NAS-PDU
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        if (mcc != null && mnc != null) {
            r.put("mcc", Long.parseLong(mcc)).put("mnc", Long.parseLong(mnc)).put("rat", "EUTRAN");
        }
        final boolean carrier = type == 0 && (code == 9 || code == 11 || code == 12 || code == 13 || code == 7 || code == 16 || code == 52);
        r.put("msg", carrier && nasName != null ? name + " (" + nasName + ")" : name);
        return r.project(KEYS);
    }

    /** The NAS fields of a top-level NAS-PDU IE; returns the EMM message name, or null. */
    private static String nas(final FieldRecord r, final PdmlNode field) {
        final String sec = field.firstShow("nas_eps.security_header_type");
        if (sec != null) {
            r.put("sec", Long.parseLong(sec));
        }
        final String emm = field.firstShow("nas_eps.nas_msg_emm_type");
        String name = null;
        if (emm != null) {
            r.put("nas", PdmlNode.number(emm));
            final PdmlNode t = field.first("nas_eps.nas_msg_emm_type");
            final String sn = t.showname();
            name = sn.substring(sn.indexOf(": ") + 2, sn.lastIndexOf(" ("));
        } else if ("12".equals(sec)) {
            r.put("nas", 0x100);
            name = "Service request";
        }
        put(r, "imsi", field.firstShow("e212.imsi"));
        final String imeisv = field.firstShow("gsm_a.imeisv");
        final String imei = field.firstShow("gsm_a.imei");
        if (imeisv != null && imeisv.length() == 16) {
            r.put("imeisv", imeisv).put("imei", imeisv.substring(0, 14));
        } else if (imei != null && imei.length() == 15) {
            r.put("imei", imei.substring(0, 14));
        }
        put(r, "m_tmsi", field.firstShow("nas_eps.emm.m_tmsi"));
        return name;
    }

    private static void put(final FieldRecord r, final String key, final String shown) {
        if (shown == null) {
            return;
        }
        if (key.equals("imsi")) {
            r.put(key, shown);
        } else {
            r.put(key, PdmlNode.number(shown));
        }
    }
}
