package io.sigmatch.decoder.dissect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.capture.CaptureFileReader;

/**
 * Wireshark's reassembly of TCP and SCTP reduced to lines our transports must reproduce, and the
 * same lines from our side:
 * <ul>
 * <li>SCTP: "frame\tsrcPort\tdstPort\tppid\tstream\tlength" for every user message, at the frame
 * where tshark shows it whole (an unfragmented DATA chunk, or the frame whose
 * {@code sctp.fragment} list closes a message);</li>
 * <li>TCP: "frame\tsrcPort\tdstPort\tlength\tcommand" per Diameter message and
 * "frame\tsrcPort\tdstPort\tmethod-or-status" per SIP message, at the frame tshark dissects it in
 * (its {@code tcp.reassembled_in}).</li>
 * </ul>
 * tshark runs with every field occurrence ({@code -E occurrence=a}), an empty HOME and the given
 * preferences.
 */
final class TransportViews {
    private static final Set<String> LINK = Set.of("eth", "ethertype", "vlan", "ieee8021ad", "sll", "null", "raw");
    private static Path home;

    private TransportViews() {
    }

    /** tshark -T fields with all occurrences ("," between them); one String[] per frame. */
    static List<String[]> fields(final Path file, final List<String> options, final String... fields) {
        final List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields",
            "-E", "occurrence=a", "-E", "aggregator=,", "-E", "separator=/t"));
        for (final String o : options) {
            cmd.add("-o");
            cmd.add(o);
        }
        for (final String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        try {
            synchronized (TransportViews.class) {
                if (home == null) {
                    home = Files.createTempDirectory("sigmatch-tshark-home");
                    home.toFile().deleteOnExit();
                }
            }
            final ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("HOME", home.toString());
            pb.environment().put("XDG_CONFIG_HOME", home.toString());
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            final Process p = pb.start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("tshark timed out on " + file);
            }
            final List<String[]> rows = new ArrayList<>();
            for (final String line : out.split("\n")) {
                if (!line.isEmpty()) {
                    rows.add(line.split("\t", -1));
                }
            }
            return rows;
        } catch (final IOException e) {
            throw new IllegalStateException("tshark failed on " + file, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Link layers, one IP layer (IPv6 extension headers allowed), then the transport named. */
    static boolean outermostTransportIs(final String protocols, final String transport) {
        final String[] t = protocols.split(":");
        int i = 0;
        while (i < t.length && LINK.contains(t[i])) {
            i++;
        }
        if (i == t.length || !(t[i].equals("ip") || t[i].equals("ipv6"))) {
            return false;
        }
        i++;
        while (i < t.length && t[i].startsWith("ipv6.")) {
            i++;
        }
        return i < t.length && t[i].equals(transport);
    }

    private static String[] split(final String s) {
        return s.isEmpty() ? new String[0] : s.split(",", -1);
    }

    /** A DATA fragment as tshark shows it. */
    private record Fragment(long frame, int ppid, int length, boolean begin, boolean end) {
    }

    /** SCTP user messages as tshark reassembles them (sctp.reassembly on, its default). */
    static List<String> tsharkSctp(final Path file, final List<String> options) {
        final List<String> out = new ArrayList<>();
        final Map<String, Fragment> fragments = new HashMap<>();
        for (final String[] r : fields(file, options, "frame.number", "frame.protocols", "sctp.srcport",
            "sctp.dstport", "sctp.chunk_type", "sctp.chunk_length", "sctp.data_b_bit", "sctp.data_e_bit",
            "sctp.data_payload_proto_id", "sctp.data_sid", "sctp.data_tsn_raw", "sctp.fragment",
            "sctp.verification_tag", "sctp.retransmission")) {
            if (!outermostTransportIs(r[1], "sctp")) {
                continue;
            }
            final long frame = Long.parseLong(r[0]);
            final String ports = split(r[2])[0] + "\t" + split(r[3])[0];
            final String[] types = split(r[4]);
            final String[] lengths = split(r[5]);
            final String[] b = split(r[6]);
            final String[] e = split(r[7]);
            final String[] ppid = split(r[8]);
            final String[] sid = split(r[9]);
            for (int i = 0; i < sid.length; i++) {
                sid[i] = Integer.toString(Integer.decode(sid[i])); // tshark shows the stream id in hex
            }
            final String[] tsn = split(r[10]);
            final String tag = split(r[12])[0];
            int k = 0;
            final List<String> inFrame = new ArrayList<>();
            int dataChunks = 0;
            for (final String t : types) {
                dataChunks += t.equals("0") ? 1 : 0;
            }
            // Wireshark's TSN analysis names the chunks it saw before; it dissects them again, we
            // deliver each TSN once. A frame that is all retransmission is left out.
            final boolean allRetransmitted = dataChunks > 0 && split(r[13]).length == dataChunks;
            for (int c = 0; c < types.length && c < lengths.length; c++) {
                if (!types[c].equals("0")) {
                    if (types[c].equals("64")) {
                        throw new IllegalStateException("I-DATA in " + file + ": not supported by this view");
                    }
                    continue;
                }
                final int length = Integer.parseInt(lengths[c]) - 16;
                final boolean begin = b[k].equals("1") || b[k].equals("True");
                final boolean end = e[k].equals("1") || e[k].equals("True");
                if (begin && end) {
                    if (allRetransmitted) {
                        k++;
                        continue;
                    }
                    out.add(frame + "\t" + ports + "\t" + ppid[k] + "\t" + sid[k] + "\t" + length);
                } else {
                    final String key = ports + "\t" + tag + "\t" + sid[k] + "\t";
                    fragments.putIfAbsent(key + tsn[k], new Fragment(frame, Integer.parseInt(ppid[k]), length, begin, end));
                    inFrame.add(key + tsn[k]);
                }
                k++;
            }
            if (r[11].isEmpty()) {
                continue;
            }
            // This frame closes a message: its fragments are the consecutive TSNs from a B to an E
            // around a fragment of this frame, all in frames tshark lists.
            final Set<Long> listed = new HashSet<>();
            for (final String f : split(r[11])) {
                listed.add(Long.parseLong(f));
            }
            final Set<String> done = new HashSet<>();
            for (final String ref : inFrame) {
                final int cut = ref.lastIndexOf('\t');
                final String key = ref.substring(0, cut + 1);
                long first = Long.parseLong(ref.substring(cut + 1));
                while (fragments.containsKey(key + first) && !fragments.get(key + first).begin()
                    && fragments.containsKey(key + ((first - 1) & 0xFFFF_FFFFL))) {
                    first = (first - 1) & 0xFFFF_FFFFL; // TSNs are serial numbers modulo 2^32
                }
                long last = Long.parseLong(ref.substring(cut + 1));
                while (fragments.containsKey(key + last) && !fragments.get(key + last).end()
                    && fragments.containsKey(key + ((last + 1) & 0xFFFF_FFFFL))) {
                    last = (last + 1) & 0xFFFF_FFFFL;
                }
                final Fragment head = fragments.get(key + first);
                final Fragment tail = fragments.get(key + last);
                if (head == null || tail == null || !head.begin() || !tail.end() || !done.add(key + first)) {
                    continue;
                }
                int total = 0;
                boolean inList = true;
                for (long t = first; ; t = (t + 1) & 0xFFFF_FFFFL) {
                    total += fragments.get(key + t).length();
                    inList &= listed.contains(fragments.get(key + t).frame());
                    if (t == last) {
                        break;
                    }
                }
                if (inList) {
                    final String[] kf = key.split("\t");
                    out.add(frame + "\t" + kf[0] + "\t" + kf[1] + "\t" + head.ppid() + "\t" + kf[3] + "\t" + total);
                }
            }
        }
        return sorted(out);
    }

    /** Diameter messages over TCP where tshark dissects them. */
    static List<String> tsharkTcpDiameter(final Path file, final List<String> options) {
        final List<String> out = new ArrayList<>();
        for (final String[] r : fields(file, options, "frame.number", "frame.protocols", "tcp.srcport", "tcp.dstport",
            "diameter.length", "diameter.cmd.code")) {
            if (!outermostTransportIs(r[1], "tcp") || r[4].isEmpty()) {
                continue;
            }
            final String[] lengths = split(r[4]);
            final String[] codes = split(r[5]);
            for (int i = 0; i < lengths.length; i++) {
                out.add(r[0] + "\t" + split(r[2])[0] + "\t" + split(r[3])[0] + "\t" + lengths[i] + "\t" + codes[i]);
            }
        }
        return sorted(out);
    }

    /** SIP messages over TCP where tshark dissects them: the method of a request, the code of a response. */
    static List<String> tsharkTcpSip(final Path file, final List<String> options) {
        final List<String> out = new ArrayList<>();
        for (final String[] r : fields(file, options, "frame.number", "frame.protocols", "tcp.srcport", "tcp.dstport",
            "sip.Request-Line", "sip.Status-Line", "sip.Method", "sip.Status-Code")) {
            if (!outermostTransportIs(r[1], "tcp")) {
                continue;
            }
            // One entry per start line, in order; Method/Status-Code occur once per message as well.
            final String[] methods = split(r[6]);
            final String[] codes = split(r[7]);
            final int requests = split(r[4]).length;
            final int responses = split(r[5]).length;
            for (int i = 0; i < requests && i < methods.length; i++) {
                out.add(r[0] + "\t" + split(r[2])[0] + "\t" + split(r[3])[0] + "\t" + methods[i]);
            }
            for (int i = 0; i < responses && i < codes.length; i++) {
                out.add(r[0] + "\t" + split(r[2])[0] + "\t" + split(r[3])[0] + "\t" + codes[i]);
            }
        }
        return sorted(out);
    }

    /** Our lines for a capture: SCTP user messages, Diameter and SIP framed from TCP. */
    record Ours(List<String> sctp, List<String> diameter, List<String> sip, Counters counters) {
    }

    static Ours ours(final Path file, final DissectorConfig config) throws IOException {
        final Counters counters = new Counters();
        final ProtocolDispatch dispatch = new ProtocolDispatch();
        final List<String> sctpLines = new ArrayList<>();
        final io.sigmatch.decoder.PayloadDecoder sctpRecorder = (p, b, off, len, s) ->
            sctpLines.add(p.frame + "\t" + p.srcPort + "\t" + p.dstPort + "\t" + (p.sctpPpid & 0xFFFFFFFFL) + "\t"
                + p.sctpStream + "\t" + len);
        for (int ppid = 0; ppid < 256; ppid++) {
            dispatch.sctpPpid(ppid, sctpRecorder);
        }
        for (int port = 0; port < 65_536; port++) {
            dispatch.sctpPort(port, sctpRecorder);
        }
        final StreamFramers.Diameter diameter = new StreamFramers.Diameter();
        final StreamFramers.Sip sip = new StreamFramers.Sip();
        dispatch.tcpPort(3868, diameter);
        dispatch.tcpPort(5060, sip);
        final Dissector dissector = new Dissector(counters, dispatch, m -> { }, config);
        dissector.tcp(new TcpReassembly(counters, dispatch, config));
        dissector.sctp(new SctpDissector(counters, dispatch, config));
        try (CaptureFileReader reader = CaptureFileReader.open(file, counters)) {
            reader.readAll(dissector);
        }
        dissector.finish();
        final List<String> sipLines = new ArrayList<>();
        for (final String l : sip.lines) {
            final String[] f = l.split("\t");
            sipLines.add(f[0] + "\t" + f[1] + "\t" + f[2] + "\t" + f[4]);
        }
        return new Ours(sorted(sctpLines), sorted(diameter.lines), sorted(sipLines), counters);
    }

    static List<String> sorted(final List<String> lines) {
        final List<String> s = new ArrayList<>(lines);
        s.sort(Comparator.<String>comparingLong(l -> Long.parseLong(l.substring(0, l.indexOf('\t'))))
            .thenComparing(Comparator.naturalOrder()));
        return s;
    }
}
