package io.sigmatch.tools.generate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes Ethernet frames to capture files, pcap or pcapng, starting a new file when the next frame
 * would take the current one past the split size. Written from the file format texts, not from the
 * decoder's reader:
 *
 * <pre>
 * pcap (libpcap "nsec" format, tcpdump.org pcap-savefile / draft-ietf-opsawg-pcap):
 *   global header, 24 octets, little-endian:
 *     magic 0xA1B23C4D (nanosecond timestamps) | version 2.4 | thiszone 0 | sigfigs 0 | snaplen | linktype 1 (Ethernet)
 *   per frame, 16 octets: ts seconds | ts nanoseconds | captured length | original length; then the frame
 *
 * pcapng (draft-ietf-opsawg-pcapng), little-endian, every block padded to 32 bits:
 *   Section Header Block 0x0A0D0D0A: length | byte-order magic 0x1A2B3C4D | version 1.0 | section length -1 | length
 *   Interface Description Block 1: length | linktype 1 | reserved | snaplen | if_tsresol (code 9) = 9 (ns) | end | length
 *   Enhanced Packet Block 6: length | interface 0 | timestamp high | timestamp low (ns) | captured | original | frame | length
 * </pre>
 */
final class CaptureOutput implements AutoCloseable {
    enum Format { PCAP, PCAPNG }

    static final int SNAPLEN = 65535;
    private static final int LINKTYPE_ETHERNET = 1;

    private final Path dir;
    private final String prefix;
    private final Format format;
    private final long splitBytes;
    private final WireBuffer header = new WireBuffer(64);
    private final List<Path> files = new ArrayList<>();
    private OutputStream out;
    private long written;
    private long frames;
    private long lastTimeNs = Long.MIN_VALUE;

    CaptureOutput(final Path dir, final String prefix, final Format format, final long splitBytes) {
        this.dir = dir;
        this.prefix = prefix;
        this.format = format;
        this.splitBytes = splitBytes;
    }

    List<Path> files() {
        return files;
    }

    long frames() {
        return frames;
    }

    long lastTimeNs() {
        return lastTimeNs;
    }

    void write(final long timeNs, final byte[] frame, final int length) throws IOException {
        if (timeNs < lastTimeNs) {
            throw new IllegalStateException("frames must be written in capture-time order");
        }
        lastTimeNs = timeNs;
        final long recordBytes = format == Format.PCAP ? 16 + length : 32 + pad4(length);
        if (out == null || (written + recordBytes > splitBytes && written > fileHeaderBytes())) {
            next();
        }
        header.clear();
        if (format == Format.PCAP) {
            header.le32(timeNs / 1_000_000_000L).le32(timeNs % 1_000_000_000L).le32(length).le32(length);
            out.write(header.array(), 0, header.length());
            out.write(frame, 0, length);
        } else {
            final int total = (int) recordBytes;
            header.le32(6).le32(total).le32(0).le32(timeNs >>> 32).le32(timeNs & 0xFFFFFFFFL).le32(length).le32(length);
            out.write(header.array(), 0, header.length());
            out.write(frame, 0, length);
            header.clear();
            header.zeros(pad4(length) - length).le32(total);
            out.write(header.array(), 0, header.length());
        }
        written += recordBytes;
        frames++;
    }

    private long fileHeaderBytes() {
        return format == Format.PCAP ? 24 : 28 + 32;
    }

    private void next() throws IOException {
        closeCurrent();
        final String ext = format == Format.PCAP ? ".pcap" : ".pcapng";
        final Path file = dir.resolve(String.format("%s-%05d%s", prefix, files.size() + 1, ext));
        files.add(file);
        out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        header.clear();
        if (format == Format.PCAP) {
            header.le32(0xA1B23C4DL).le16(2).le16(4).le32(0).le32(0).le32(SNAPLEN).le32(LINKTYPE_ETHERNET);
        } else {
            // SHB: type, length 28, BOM, major 1, minor 0, section length -1 (unknown), length
            header.le32(0x0A0D0D0AL).le32(28).le32(0x1A2B3C4DL).le16(1).le16(0).le32(0xFFFFFFFFL).le32(0xFFFFFFFFL)
                .le32(28);
            // IDB: type, length 32, linktype, reserved, snaplen, if_tsresol=9 (1 octet + 3 pad), opt_endofopt, length
            header.le32(1).le32(32).le16(LINKTYPE_ETHERNET).le16(0).le32(SNAPLEN)
                .le16(9).le16(1).u8(9).zeros(3).le16(0).le16(0).le32(32);
        }
        out.write(header.array(), 0, header.length());
        written = header.length();
    }

    private static int pad4(final int n) {
        return (n + 3) & ~3;
    }

    private void closeCurrent() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    @Override
    public void close() throws IOException {
        if (out == null && files.isEmpty()) {
            next();
        }
        closeCurrent();
    }
}
