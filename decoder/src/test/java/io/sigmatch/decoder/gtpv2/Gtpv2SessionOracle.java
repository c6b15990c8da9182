package io.sigmatch.decoder.gtpv2;

import io.sigmatch.decoder.tshark.PdmlNode;
import io.sigmatch.decoder.tshark.PdmlPacket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whose message is this, according to tshark: an independent, deliberately plain re-derivation of
 * TEID resolution from Wireshark's fields, to check {@link Gtpv2Decoder}'s tables on real captures.
 *
 * <p>From tshark it takes the IMSI (e212.imsi), the control-plane F-TEIDs (type, instance,
 * interface type, TEID, IPv4/IPv6 address), the header TEID, the destination address and
 * Wireshark's own request/response pairing (gtpv2.response_to). It applies the rules of the
 * package documentation: Create Session Request and accepted Response teach their control-plane
 * F-TEIDs (instance 0 and 1, TEID not 0); a message's subscriber is its own IMSI, else its
 * request's, else the one its header TEID at its destination names, else (an answer) the one its
 * request's header TEID named; an accepted Delete Session releases both header TEIDs, counting
 * one hold per Create Session. The result: one line "frame\ttype\timsi" (or "-") per message.
 */
final class Gtpv2SessionOracle {
    private static final int[] CONTROL_PLANE = {6, 7, 10, 11, 12, 13, 14, 17, 18, 24, 25, 26, 27, 30, 32, 35, 36, 40};

    private final Map<String, String> imsiByTeid = new HashMap<>();
    private final Map<String, Integer> holds = new HashMap<>();
    /** frame -> [subscriber or null, header key or null, type] of the requests seen, for their answers. */
    private final Map<Long, String[]> requests = new HashMap<>();

    static List<String> of(final List<PdmlPacket> packets) {
        final Gtpv2SessionOracle oracle = new Gtpv2SessionOracle();
        final List<String> out = new ArrayList<>();
        for (final PdmlPacket packet : packets) {
            for (final PdmlNode layer : packet.protocols("gtpv2")) {
                out.add(packet.frame() + "\t" + Gtpv2Expectations.type(layer) + "\t" + oracle.message(packet, layer));
            }
        }
        return out;
    }

    private String message(final PdmlPacket packet, final PdmlNode layer) {
        final int type = Gtpv2Expectations.type(layer);
        final String wire = wireImsi(layer);
        final String headerKey = headerKey(packet, layer);
        final String respondsTo = layer.childShow("gtpv2.response_to");
        String[] request = respondsTo == null ? null : requests.get(Long.parseLong(respondsTo));
        if (request != null && !request[2].equals(Integer.toString(Gtpv2MessageType.requestOf(type)))) {
            // Wireshark pairs by sequence number alone; a request of another type is a coincidence
            request = null;
        }

        String imsi = wire;
        if (imsi == null && request != null) {
            imsi = request[0];
        }
        if (imsi == null && headerKey != null) {
            imsi = imsiByTeid.get(headerKey);
        }
        if (imsi == null && request != null && request[1] != null) {
            imsi = imsiByTeid.get(request[1]);
        }
        if (!Gtpv2MessageType.isAnswer(type)) {
            requests.put(packet.frame(), new String[] {imsi, headerKey, Integer.toString(type)});
        }

        final boolean accepted = accepted(layer);
        if (type == Gtpv2MessageType.CREATE_SESSION_REQUEST || type == Gtpv2MessageType.CREATE_SESSION_RESPONSE && accepted) {
            if (imsi != null) {
                for (final String key : controlTeids(layer)) {
                    imsiByTeid.put(key, imsi);
                    holds.merge(key, 1, Integer::sum);
                }
            }
        } else if (type == Gtpv2MessageType.DELETE_SESSION_RESPONSE && accepted) {
            release(headerKey);
            if (request != null) {
                release(request[1]);
            }
        }
        return imsi == null ? "-" : imsi;
    }

    private void release(final String key) {
        if (key == null || !holds.containsKey(key)) {
            return;
        }
        final int left = holds.get(key) - 1;
        if (left <= 0) {
            holds.remove(key);
            imsiByTeid.remove(key);
        } else {
            holds.put(key, left);
        }
    }

    private static String wireImsi(final PdmlNode layer) {
        final PdmlNode ie = Gtpv2Expectations.topLevelIe(layer, Gtpv2Ie.IMSI, 0);
        final String imsi = ie == null ? null : ie.firstShow("e212.imsi");
        return imsi != null && imsi.matches("[0-9]{1,15}") ? imsi : null;
    }

    private static boolean accepted(final PdmlNode layer) {
        final PdmlNode cause = Gtpv2Expectations.topLevelIe(layer, Gtpv2Ie.CAUSE, 0);
        final String value = cause == null ? null : cause.firstShow("gtpv2.cause");
        if (value == null) {
            return false;
        }
        final long c = PdmlNode.number(value);
        return c >= 16 && c <= 63;
    }

    /** "address|teid" of the header TEID at the packet's destination, or null without a TEID. */
    private static String headerKey(final PdmlPacket packet, final PdmlNode layer) {
        final String teid = layer.childShow("gtpv2.teid");
        if (teid == null || PdmlNode.number(teid) == 0) {
            return null;
        }
        String dst = null;
        for (final PdmlNode p : packet.protocols()) {
            if (p.name().equals("ip") && dst == null) {
                dst = p.childShow("ip.dst");
            } else if (p.name().equals("ipv6") && dst == null) {
                dst = p.childShow("ipv6.dst");
            }
        }
        return dst + "|" + PdmlNode.number(teid);
    }

    private static List<String> controlTeids(final PdmlNode layer) {
        final List<String> keys = new ArrayList<>();
        for (final PdmlNode ie : layer.children()) {
            final String type = ie.childShow("gtpv2.ie_type");
            final String instance = ie.childShow("gtpv2.instance");
            if (type == null || PdmlNode.number(type) != Gtpv2Ie.F_TEID || instance == null || PdmlNode.number(instance) > 1) {
                continue;
            }
            final long interfaceType = PdmlNode.number(ie.childShow("gtpv2.f_teid_interface_type"));
            final long teid = PdmlNode.number(ie.childShow("gtpv2.f_teid_gre_key"));
            if (teid == 0 || !controlPlane(interfaceType)) {
                continue;
            }
            final String v4 = ie.childShow("gtpv2.f_teid_ipv4");
            final String v6 = ie.childShow("gtpv2.f_teid_ipv6");
            if (v4 != null) {
                keys.add(v4 + "|" + teid);
            }
            if (v6 != null) {
                keys.add(v6 + "|" + teid);
            }
        }
        return keys;
    }

    private static boolean controlPlane(final long interfaceType) {
        for (final int t : CONTROL_PLANE) {
            if (t == interfaceType) {
                return true;
            }
        }
        return false;
    }
}
