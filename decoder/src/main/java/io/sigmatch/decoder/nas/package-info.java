/**
 * NAS flyweights: EPS NAS (TS 24.301, {@link io.sigmatch.decoder.nas.NasEpsMessage}) carried by S1AP
 * and 5GS NAS (TS 24.501, {@link io.sigmatch.decoder.nas.Nas5gsMessage}) carried by NGAP; ciphered
 * messages are counted, never read, unless the null cipher is known to be in use.
 */
package io.sigmatch.decoder.nas;
