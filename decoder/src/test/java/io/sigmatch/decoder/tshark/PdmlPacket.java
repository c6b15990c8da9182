package io.sigmatch.decoder.tshark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One frame as tshark dissected it: its number, its capture time exactly as tshark prints
 * {@code frame.time_epoch} (seconds, a dot, nine digits), and its protocol layers in order. A
 * protocol appears once per message: a GTPv2 datagram with a piggybacked message has two
 * {@code gtpv2} layers, an SCTP packet bundling three chunks three {@code s1ap} layers.
 */
public final class PdmlPacket {
    private final long frame;
    private final String timeEpoch;
    private final List<PdmlNode> protocols = new ArrayList<>();

    PdmlPacket(final long frame, final String timeEpoch) {
        this.frame = frame;
        this.timeEpoch = timeEpoch;
    }

    void add(final PdmlNode protocol) {
        protocols.add(protocol);
    }

    public long frame() {
        return frame;
    }

    public String timeEpoch() {
        return timeEpoch;
    }

    public List<PdmlNode> protocols() {
        return Collections.unmodifiableList(protocols);
    }

    /** The layers of one protocol, in order ("gtpv2", "diameter", "sip"...). */
    public List<PdmlNode> protocols(final String name) {
        final List<PdmlNode> out = new ArrayList<>();
        for (final PdmlNode p : protocols) {
            if (p.name().equals(name)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The protocol names in order, joined by ':' like {@code frame.protocols} (without "geninfo"). */
    public String stack() {
        final StringBuilder sb = new StringBuilder();
        for (final PdmlNode p : protocols) {
            if (p.name().equals("geninfo") || p.name().equals("frame")) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(p.name());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "frame " + frame + " " + stack();
    }
}
