/**
 * Capture sources: {@link io.sigmatch.decoder.capture.CaptureFileReader} streams pcap and pcapng
 * files of any size through one refilled direct buffer and hands each packet, as a reused
 * {@link io.sigmatch.decoder.capture.Frame}, to a {@link io.sigmatch.decoder.capture.FrameSink}
 * (normally the {@link io.sigmatch.decoder.dissect.Dissector}). Frame numbers and times are the
 * ones Wireshark shows. Live sources are in {@code capture.live} (AF_PACKET ring, VXLAN socket);
 * {@link io.sigmatch.decoder.capture.ReplayPacer}, {@link io.sigmatch.decoder.capture.LoopTimeShift}
 * and {@link io.sigmatch.decoder.capture.LoopIdentityShift} make replays paced and looped.
 *
 * <p>Counters (labels in {@link io.sigmatch.decoder.Counters}):
 * <ul>
 * <li>{@code capture.packets}, {@code capture.bytes} (captured bytes) — frames delivered;</li>
 * <li>{@code capture.skipped_blocks} — pcapng blocks without packets (NRB, ISB, DSB, unknown);</li>
 * <li>{@code capture.skipped_records} — custom, journal and sysdig blocks: numbered, not delivered;</li>
 * <li>{@code capture.error.<reason>} — bad_magic, truncated_file_header, unsupported_version,
 * truncated_record, oversized_record, bad_block_length, block_length_mismatch, bad_block,
 * unknown_interface, too_many_interfaces, bad_tsresol, io, internal. Which of them stop the file
 * is documented on {@link io.sigmatch.decoder.capture.CaptureFileReader}.</li>
 * </ul>
 */
package io.sigmatch.decoder.capture;
