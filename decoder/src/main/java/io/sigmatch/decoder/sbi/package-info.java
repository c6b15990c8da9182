/**
 * 5G Service Based Interface (TS 29.500) over cleartext HTTP/2 with prior knowledge: framing
 * ({@link io.sigmatch.decoder.sbi.Http2Frame}, RFC 9113), HPACK through Netty's decoder per
 * connection direction ({@link io.sigmatch.decoder.sbi.HpackBlockDecoder}, RFC 7541), requests paired
 * with responses per stream, and the JSON bodies of the operations sigmatch turns into events
 * ({@link io.sigmatch.decoder.sbi.SbiOperation}) read by a tree-less scanner
 * ({@link io.sigmatch.decoder.sbi.JsonScanner}).
 *
 * <p>Counters: {@code decode.sbi.frames}, {@code decode.sbi.messages} (requests and responses),
 * {@code decode.sbi.prefaces} (connections seen from their start), {@code decode.sbi.midstream}
 * (directions whose header blocks were decoded without the start of their HPACK table),
 * {@code decode.sbi.midstream.unknown_dynamic} (blocks on such a direction that referenced a table
 * entry added before we came: dropped, never guessed), {@code decode.sbi.frames.unknown_type},
 * {@code decode.sbi.directions.evicted}; {@code decode.sbi.error.<reason>} with the reasons named in
 * {@link io.sigmatch.decoder.sbi.SbiDecoder}; {@code correlate.sbi.paired / timed_out / flushed /
 * reset / superseded / pending_evicted / response_without_request}.
 */
package io.sigmatch.decoder.sbi;
