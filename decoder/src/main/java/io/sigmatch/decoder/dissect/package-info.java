/**
 * Dissection from link layer to transport payload:
 * {@link io.sigmatch.decoder.dissect.Dissector} (Ethernet, Linux SLL/SLL2, raw IP, BSD loopback;
 * 802.1Q/QinQ; IPv4, IPv6 extension headers, fragment reassembly in
 * {@link io.sigmatch.decoder.dissect.IpReassembly}; UDP; the mirror-feed tunnels VXLAN, GRE, ERSPAN
 * I/II/III, IP-in-IP and PPPoE, opened to the innermost packet), and
 * {@link io.sigmatch.decoder.dissect.ProtocolDispatch}, which picks the
 * {@link io.sigmatch.decoder.PayloadDecoder} by port or by content. TCP and SCTP plug in through
 * {@link io.sigmatch.decoder.dissect.TransportDissector}; limits live in
 * {@link io.sigmatch.decoder.dissect.DissectorConfig}.
 *
 * <p>Counters (labels in {@link io.sigmatch.decoder.Counters}), all per dissecting thread's registry:
 * <ul>
 * <li>{@code dissect.frames}; {@code dissect.error.unknown_link_type}; {@code dissect.error.internal}
 * (a dissector bug, frame dropped); {@code dissect.error.decoder_exception} (a decoder or sniffer
 * threw, payload dropped);</li>
 * <li>{@code dissect.link.non_ip}, {@code dissect.link.error.truncated};</li>
 * <li>{@code dissect.vlan.tagged}, {@code dissect.vlan.error.too_deep}, {@code dissect.vlan.error.truncated};</li>
 * <li>{@code dissect.ip.error.bad_version}, {@code dissect.ip.other_protocol} (ICMP, ESP, ...);</li>
 * <li>{@code dissect.ipv4.packets}, {@code dissect.ipv4.error.truncated}, {@code .bad_header_length},
 * {@code .bad_total_length}, {@code dissect.ipv4.zero_total_length} (offloaded capture, captured length used);</li>
 * <li>{@code dissect.ipv6.packets}, {@code dissect.ipv6.no_next_header}, {@code dissect.ipv6.error.truncated},
 * {@code .bad_payload_length}, {@code .too_many_extension_headers}, {@code .nested_fragment};</li>
 * <li>{@code dissect.frag.fragments}, {@code .reassembled}, {@code .duplicate}, {@code .late_duplicate},
 * {@code .overlap}, and the drops {@code dissect.frag.drop.timeout}, {@code .evicted}, {@code .too_big},
 * {@code .bad_length}, {@code .inconsistent}, {@code .overlap}, {@code .incomplete_at_end};</li>
 * <li>{@code dissect.udp.datagrams}, {@code .claimed_by_port}, {@code .claimed_by_content},
 * {@code .unclaimed}, {@code dissect.udp.error.truncated}, {@code .bad_length};</li>
 * <li>{@code dissect.skipped.tcp}, {@code dissect.skipped.sctp} (no transport plugged in);</li>
 * <li>TCP ({@link io.sigmatch.decoder.dissect.TcpReassembly}): {@code dissect.tcp.segments}, {@code .unclaimed},
 * {@code .messages}, {@code .midstream}, {@code .retransmitted}, {@code .overlap_bytes}, {@code .out_of_order},
 * {@code .gaps}, {@code .resyncs}, {@code .window_restarts}; flows {@code dissect.tcp.flows.created},
 * {@code .closed}, {@code .reset}, {@code .expired}, {@code .evicted}, {@code .reused}, {@code .open_at_end};
 * errors {@code dissect.tcp.error.truncated}, {@code .bad_header_length}; drops (bytes unless named
 * otherwise) {@code dissect.tcp.drop.lost_bytes} (holes declared lost), {@code .resync_bytes},
 * {@code .incomplete_bytes}, {@code .no_memory_bytes}, {@code .held_overflow_bytes}, and the segment or
 * message counts {@code .not_a_message}, {@code .too_big}, {@code .outside_window};</li>
 * <li>SCTP ({@link io.sigmatch.decoder.dissect.SctpDissector}): {@code dissect.sctp.packets}, {@code .messages},
 * {@code .unclaimed}, {@code .fragments}, {@code .reassembled}, {@code .tsn_reused},
 * {@code dissect.sctp.chunk.<type>} (data, i_data and each skipped type), {@code dissect.sctp.associations.evicted};
 * errors {@code dissect.sctp.error.truncated}, {@code .bad_chunk_length}, {@code .chunk_truncated},
 * {@code .data_bad_length}, {@code .data_empty}; drops {@code dissect.sctp.drop.duplicate_tsn},
 * {@code .stale_tsn}, {@code .duplicate_fragment}, {@code .timeout}, {@code .evicted}, {@code .too_big},
 * {@code .incomplete_at_end};</li>
 * <li>{@code dissect.tunnel.<type>.packets} (vxlan, gre, erspan1, erspan2, erspan3, ipip, pppoe),
 * {@code dissect.tunnel.vxlan.error.truncated}, {@code .bad_flags},
 * {@code dissect.tunnel.gre.error.truncated}, {@code .bad_version}, {@code .routing_present},
 * {@code dissect.tunnel.gre.unsupported_protocol}, {@code dissect.tunnel.erspan.error.truncated},
 * {@code .bad_version}, {@code .unsupported_frame_type}, {@code dissect.tunnel.pppoe.error.truncated},
 * {@code .bad_header}, {@code dissect.tunnel.ppp.error.truncated}, {@code dissect.tunnel.ppp.non_ip},
 * {@code dissect.tunnel.error.too_deep}, {@code dissect.tunnel.error.fragment_in_reassembled}.</li>
 * </ul>
 */
package io.sigmatch.decoder.dissect;
