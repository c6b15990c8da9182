/**
 * Test support for differential tests against Wireshark, for any protocol decoder.
 *
 * <ol>
 *   <li>{@link io.sigmatch.decoder.tshark.TsharkPdml#packets} runs tshark on a capture with a
 *       display filter and returns each frame's dissection tree ({@link io.sigmatch.decoder.tshark.PdmlPacket},
 *       {@link io.sigmatch.decoder.tshark.PdmlNode}). Use the tree rather than {@code -T fields}: fields
 *       flatten every occurrence, so an IMSI inside a grouped IE, a second instance or a piggybacked
 *       message cannot be told from the message's own.</li>
 *   <li>The protocol's test turns each frame's tree into the {@link io.sigmatch.decoder.tshark.FieldRecord}s
 *       `sigmatch decode` must print (one per message), and commits them as JSON Lines under
 *       {@code src/test/resources/fixtures/<proto>/}. With tshark installed the test re-derives them
 *       and requires the committed file to be equal ({@code -Dsigmatch.fixtures.write=true} rewrites
 *       it); without tshark the committed file is the expectation.</li>
 *   <li>{@link io.sigmatch.decoder.tshark.RecordComparison} aligns the fixture with our decoder's
 *       output by frame and position and compares the listed keys, counting messages and fields;
 *       {@link io.sigmatch.decoder.tshark.KnownDifferences} lists, with reasons, the disagreements
 *       that are deliberate. See {@code io.sigmatch.decoder.gtpv2.Gtpv2WiresharkTest} for a complete use.</li>
 * </ol>
 */
package io.sigmatch.decoder.tshark;
