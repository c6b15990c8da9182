/**
 * S1AP (TS 36.413) over SCTP PPID 18: the aligned-PER PDU skeleton shared with NGAP
 * ({@link io.sigmatch.decoder.s1ap.AperPdu}, {@link io.sigmatch.decoder.s1ap.AperBits}), the S1AP
 * decoder ({@link io.sigmatch.decoder.s1ap.S1apDecoder}) and the radio-side UE correlation both
 * decoders use ({@link io.sigmatch.decoder.s1ap.RanUeCorrelator}). See docs/s1ap-ngap.md.
 */
package io.sigmatch.decoder.s1ap;
