package io.sigmatch.decoder.ngap;

import io.sigmatch.decoder.tshark.FieldRecord;
import io.sigmatch.decoder.tshark.PdmlNode;
import io.sigmatch.decoder.tshark.PdmlPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * What `sigmatch decode` (plus the NGAP decoder's id and NAS views) must show for each NGAP message,
 * from tshark's tree: ngap.procedureCode, ngap.AMF_UE_NGAP_ID, ngap.RAN_UE_NGAP_ID, the
 * UserLocationInformation's e212.nrcgi/eutracgi and e212.5gstai PLMN, ngap.NRCellIdentity /
 * ngap.EUTRACellIdentity, ngap.tAC, ngap.fiveG_TMSI; in the top-level NAS-PDU
 * nas_5gs.security_header_type, nas_5gs.mm.message_type, nas_5gs.mm.suci.* (the SUPI is MCC + MNC +
 * MSIN when the protection scheme is null), gsm_a/nas_5gs IMEI(SV), nas_5gs.5g_tmsi. Decoder choices
 * applied: msg is the message element's name plus " (5GMM message name)" for NAS transports,
 * InitialUEMessage and InitialContextSetupRequest; the cell's PLMN is the TAI's; rat NR or EUTRAN.
 */
final class NgapExpectations {
    static final List<String> KEYS = List.of("frame", "time", "msg", "pdu", "pc", "amf_id", "ran_id", "sec", "nas",
        "imsi", "imei", "imeisv", "tmsi", "s_tmsi", "mcc", "mnc", "tac", "eci", "nci", "rat");

    private NgapExpectations() {
    }

    static List<FieldRecord> of(final PdmlPacket packet) {
        final List<FieldRecord> out = new ArrayList<>();
        for (final PdmlNode layer : packet.protocols("ngap")) {
            final PdmlNode pdu = layer.child("ngap.NGAP_PDU");
            if (pdu == null || layer.first("ngap.procedureCode") == null) {
                continue;
            }
            out.add(message(packet, layer, pdu));
        }
        return out;
    }

    private static FieldRecord message(final PdmlPacket packet, final PdmlNode layer, final PdmlNode pdu) {
        final FieldRecord r = new FieldRecord().put("frame", packet.frame()).put("time", packet.timeEpoch());
        final int type = Integer.parseInt(pdu.show());
        final int code = Integer.parseInt(layer.firstShow("ngap.procedureCode"));
        String name = null;
        final PdmlNode value = layer.first("ngap.value_element");
        if (value != null) {
            for (final PdmlNode c : value.children()) {
                if (c.name().endsWith("_element")) {
                    name = c.showname();
                    break;
                }
            }
        }
        r.put("pdu", type).put("pc", code);
        String nasName = null;
        final PdmlNode ies = layer.first("ngap.protocolIEs");
        if (ies != null) {
            for (final PdmlNode item : ies.children()) {
                final PdmlNode field = item.child("ngap.ProtocolIE_Field_element");
                if (field == null || field.childShow("ngap.id") == null) {
                    continue;
                }
                switch (Integer.parseInt(field.childShow("ngap.id"))) {
                    case 10, 100 -> put(r, "amf_id", field.firstShow("ngap.AMF_UE_NGAP_ID"));
                    case 85 -> put(r, "ran_id", field.firstShow("ngap.RAN_UE_NGAP_ID"));
                    case 114 -> {
                        put(r, "amf_id", field.firstShow("ngap.AMF_UE_NGAP_ID"));
                        put(r, "ran_id", field.firstShow("ngap.RAN_UE_NGAP_ID"));
                    }
                    case 121 -> location(r, field);
                    case 26 -> put(r, "s_tmsi", field.firstShow("ngap.fiveG_TMSI"));
                    case 38 -> nasName = nas(r, field);
                    default -> {
                    }
                }
            }
        }
        final boolean carrier = type == 0 && (code == 4 || code == 14 || code == 15 || code == 46 || code == 19 || code == 36);
        r.put("msg", carrier && nasName != null ? name + " (" + nasName + ")" : name);
        return r.project(KEYS);
    }

    private static void location(final FieldRecord r, final PdmlNode field) {
        final String nr = field.firstShow("ngap.NRCellIdentity");
        final String eutra = field.firstShow("ngap.EUTRACellIdentity");
        final String mcc = field.firstShow("e212.5gstai.mcc") != null ? field.firstShow("e212.5gstai.mcc")
            : field.firstShow("e212.tai.mcc");
        final String mnc = field.firstShow("e212.5gstai.mnc") != null ? field.firstShow("e212.5gstai.mnc")
            : field.firstShow("e212.tai.mnc");
        if (nr == null && eutra == null || mcc == null) {
            return;
        }
        r.put("mcc", Long.parseLong(mcc)).put("mnc", Long.parseLong(mnc));
        put(r, "tac", field.firstShow("ngap.tAC"));
        if (nr != null) {
            r.put("nci", PdmlNode.number(nr)).put("rat", "NR");
        } else {
            r.put("eci", PdmlNode.number(eutra)).put("rat", "EUTRAN");
        }
    }

    private static String nas(final FieldRecord r, final PdmlNode field) {
        final String sec = field.firstShow("nas_5gs.security_header_type");
        if (sec != null) {
            r.put("sec", Long.parseLong(sec));
        }
        final PdmlNode type = field.first("nas_5gs.mm.message_type");
        String name = null;
        if (type != null) {
            r.put("nas", PdmlNode.number(type.show()));
            final String sn = type.showname();
            name = sn.substring(sn.indexOf(": ") + 2, sn.lastIndexOf(" ("));
        }
        final String msin = field.firstShow("nas_5gs.mm.suci.msin");
        final String scheme = field.firstShow("nas_5gs.mm.suci.scheme_id");
        final PdmlNode mcc = field.first("e212.mcc");
        final PdmlNode mnc = field.first("e212.mnc");
        if (msin != null && "0".equals(scheme) && mcc != null && mnc != null) {
            final String mncDigits = mnc.showname().substring(mnc.showname().lastIndexOf('(') + 1,
                mnc.showname().lastIndexOf(')'));
            r.put("imsi", String.format("%03d", Integer.parseInt(mcc.show())) + mncDigits + msin);
        }
        final String imeisv = first(field, "nas_5gs.mm.imeisv", "gsm_a.imeisv");
        final String imei = first(field, "nas_5gs.mm.imei", "gsm_a.imei");
        if (imeisv != null && imeisv.length() == 16) {
            r.put("imeisv", imeisv).put("imei", imeisv.substring(0, 14));
        } else if (imei != null && imei.length() == 15) {
            r.put("imei", imei.substring(0, 14));
        }
        put(r, "tmsi", field.firstShow("nas_5gs.5g_tmsi"));
        return name;
    }

    private static String first(final PdmlNode n, final String a, final String b) {
        final String v = n.firstShow(a);
        return v != null ? v : n.firstShow(b);
    }

    private static void put(final FieldRecord r, final String key, final String shown) {
        if (shown != null) {
            r.put(key, PdmlNode.number(shown));
        }
    }
}
