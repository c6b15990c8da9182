/**
 * NGAP (TS 38.413) over SCTP PPID 60 with 5G NAS: {@link io.sigmatch.decoder.ngap.NgapDecoder}, built
 * on the S1AP package's aligned-PER skeleton and UE correlation. See docs/s1ap-ngap.md.
 */
package io.sigmatch.decoder.ngap;
