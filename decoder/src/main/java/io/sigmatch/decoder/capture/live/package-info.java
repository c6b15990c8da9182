/**
 * Live capture on Linux without a foreign-function API: {@link io.sigmatch.decoder.capture.live.LiveCapture}
 * (AF_PACKET sockets with TPACKET_V3 rings set up once through JNA and read in place, PACKET_FANOUT
 * by flow hash across capture threads, promiscuous mode, a classic BPF filter in
 * {@link io.sigmatch.decoder.capture.live.BpfProgram} form, kernel drop counters), and
 * {@link io.sigmatch.decoder.capture.live.VxlanSocketReceiver} (VXLAN on a UDP port through Netty
 * epoll). What a deployment needs (CAP_NET_RAW) and how to size the ring: docs/capture.md.
 */
package io.sigmatch.decoder.capture.live;
