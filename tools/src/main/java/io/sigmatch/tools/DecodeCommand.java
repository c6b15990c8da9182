package io.sigmatch.tools;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.SignalingJson;
import io.sigmatch.decoder.SignalingMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** `sigmatch decode FILE`: one JSON object per signaling message, in capture order (DESIGN §12). */
@Command(name = "decode", mixinStandardHelpOptions = true,
    description = "Decode a pcap or pcapng capture and print one JSON object per signaling message (JSON Lines); "
        + "a summary of packets, messages by protocol and errors by reason goes to stderr.")
public final class DecodeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "pcap or pcapng capture")
    private Path file;

    @Mixin
    private DecoderOptions decoderOptions;

    @Override
    public Integer call() throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("cannot read " + file);
        }
        final Counters counters = new Counters();
        final DecoderConfig config = decoderOptions.toConfig();
        try (JsonLinesOut out = new JsonLinesOut(System.out)) {
            final SignalingDecoder decoder = new SignalingDecoder(counters, config, out);
            decoder.decodeFile(file);
            decoder.finish();
        }
        DecodeSummary.print(counters, System.err);
        return 0;
    }

    /** Writes each wire message as a JSON line through one reused builder and a buffered stream. */
    static final class JsonLinesOut implements MessageSink, AutoCloseable {
        private final OutputStream out;
        private final StringBuilder line = new StringBuilder(512);
        private byte[] bytes = new byte[1024];

        JsonLinesOut(final PrintStream stdout) {
            out = new BufferedOutputStream(stdout, 1 << 16);
        }

        @Override
        public void onMessage(final SignalingMessage message) {
            line.setLength(0);
            SignalingJson.appendTo(message, line, true).append('\n');
            final int n = line.length();
            if (bytes.length < n) {
                bytes = new byte[n * 2];
            }
            // JSON output is ASCII: SignalingJson escapes everything else.
            for (int i = 0; i < n; i++) {
                bytes[i] = (byte) line.charAt(i);
            }
            try {
                out.write(bytes, 0, n);
            } catch (final IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }

        /** Writes out what is buffered (live capture calls it after each ring block). */
        void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
