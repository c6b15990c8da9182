package io.sigmatch.decoder.sbi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Exception;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.Outcome;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.Plmn;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.StreamDecoder;
import io.sigmatch.decoder.correlate.PendingRequestTable;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * 5G Service Based Interface decoder: HTTP/2 cleartext with prior knowledge (RFC 9113 3.3) over the
 * TCP reassembly, one frame (or the 24-octet connection preface) per {@link #decode} call.
 *
 * <p>Per connection direction it keeps the HPACK dynamic table (Netty's decoder, see
 * {@link HpackBlockDecoder}), the peer's SETTINGS_MAX_FRAME_SIZE, and a header block still waiting
 * for its CONTINUATION frames. A direction is known from its start when the client's preface was
 * seen; one first seen mid-stream (or whose table was lost to a bad block) decodes with a table
 * holding only the entries it saw inserted. That partial table is exact for what it holds — HPACK
 * indexes count from the newest entry and evicts the oldest (RFC 7541 2.3.3, 4.4) — so a block that
 * references an older, unseen entry fails on the index; it is counted
 * ({@code decode.sbi.midstream.unknown_dynamic}), dropped, and the table restarts empty, never
 * misread.
 *
 * <p>Per stream (client-initiated, odd ids) a request is kept from its HEADERS to its END_STREAM
 * ({@code :method}, {@code :path}, content type, the body up to a limit), then decoded: the
 * operation from method and path ({@link SbiOperation}), the SUPI from the path, and the JSON body
 * (or the JSON part of a {@code multipart/related} body, TS 29.502 6.1.2.4) read by
 * {@link JsonScanner}. The response HEADERS ({@code :status}) completes the procedure: 2xx accepted,
 * 4xx/5xx rejected; RST_STREAM, the answer timeout and the end of input complete it as unknown.
 *
 * <p>Every malformed case is counted under {@code decode.sbi.error.<reason>} and skipped; nothing is
 * thrown. One instance per decoding thread.
 */
public final class SbiDecoder implements StreamDecoder {
    public static final String PREFIX = "decode.sbi.";
    public static final String ERROR = "decode.sbi.error.";
    public static final String FRAME_TOO_LONG = "frame_too_long";
    public static final String BAD_STREAM_ID = "bad_stream_id";
    public static final String BAD_PADDING = "bad_padding";
    public static final String BAD_FRAME_LENGTH = "bad_frame_length";
    public static final String BAD_SETTINGS = "bad_settings";
    public static final String CONTINUATION_WITHOUT_HEADERS = "continuation_without_headers";
    public static final String HEADERS_INTERRUPTED = "headers_interrupted";
    public static final String HEADER_BLOCK_TOO_LONG = "header_block_too_long";
    public static final String HPACK_BAD_INDEX = "hpack_bad_index";
    public static final String HPACK_HUFFMAN = "hpack_huffman";
    public static final String HPACK_OTHER = "hpack_other";
    public static final String HEADER_LIST_TOO_LONG = "header_list_too_long";
    public static final String BODY_TOO_LONG = "body_too_long";
    public static final String JSON_TRUNCATED = "json_truncated";
    public static final String JSON_TOO_DEEP = "json_too_deep";
    public static final String JSON_SYNTAX = "json_syntax";
    public static final String MULTIPART_NO_JSON = "multipart_no_json";
    public static final String BAD_SUPI = "bad_supi";
    public static final String BAD_GPSI = "bad_gpsi";
    public static final String BAD_PEI = "bad_pei";
    public static final String BAD_PLMN = "bad_plmn";
    public static final String BAD_LOCATION = "bad_location";
    public static final String NO_BUFFER = "no_buffer";

    public static final String CORRELATE = "correlate.sbi.";

    private static final int DIR_KNOWN = 1;
    private static final int DIR_CLIENT = 2;
    private static final int DIR_MIDSTREAM_COUNTED = 4;

    private static final int S_REQ_DONE = 1;
    private static final int S_EMITTED = 2;
    private static final int S_JSON = 4;
    private static final int S_MULTIPART = 8;
    private static final int S_BODY_OVERFLOW = 16;

    private static final int BOUNDARY_CAPACITY = 72; // RFC 2046 5.1.1: at most 70 characters
    private static final int BLOCK_BUFFERS = 16;
    private static final long NO_SLOT = -1;

    private final SbiConfig config;

    // ---- connection directions ----
    private final Long2LongHashMap dirIndex;
    private final long[] dirKey;
    private final long[] dirLastNs;
    private final byte[] dirState;
    private final HpackBlockDecoder[] dirDecoder;
    private final int[] dirMaxFrame;
    private final int[] dirBlockStream;
    private final boolean[] dirBlockEndStream;
    private final int[] dirBlockBuffer;
    private final int[] freeDirs;
    private int freeDirCount;
    private int sweepCursor;

    private final ByteBuf[] blockBuffers = new ByteBuf[BLOCK_BUFFERS];
    private final int[] freeBlocks = new int[BLOCK_BUFFERS];
    private int freeBlockCount;
    private final ByteBuf scratchBlock;
    private final HeaderCapture capture;

    // ---- streams ----
    private final PendingRequestTable pending;
    private final int[] sOp;
    private final byte[] sMethod;
    private final int[] sFlags;
    private final int[] sStream;
    private final byte[] sPath;
    private final int[] sPathLen;
    private final byte[] sBoundary;
    private final int[] sBoundaryLen;
    private final int[] sBody;
    private final long[] sReqFrame;
    private final long[] sReqNs;
    private final int[] sReqSource;

    private final byte[][] bodyBytes;
    private final ByteBuf[] bodyViews;
    private final int[] bodyLen;
    private final int[] freeBodies;
    private int freeBodyCount;

    private final SignalingMessage message = new SignalingMessage();
    private final SignalingMessage procedure = new SignalingMessage();
    private final JsonScanner json;
    private final BodyFields fields = new BodyFields();

    // what the message being delivered came from (tests and tools read these during the callback)
    private int currentStream;
    private int currentMethod;
    private int currentStatus;
    private int currentSlot = -1;
    private int currentPathLength;
    private final byte[] currentPath;

    private final AtomicCounter frames;
    private final AtomicCounter messages;
    private final AtomicCounter prefaces;
    private final AtomicCounter midstream;
    private final AtomicCounter unknownDynamic;
    private final AtomicCounter unknownType;
    private final AtomicCounter dirsEvicted;
    private final AtomicCounter frameTooLong;
    private final AtomicCounter badStreamId;
    private final AtomicCounter badPadding;
    private final AtomicCounter badFrameLength;
    private final AtomicCounter badSettings;
    private final AtomicCounter continuationWithoutHeaders;
    private final AtomicCounter headersInterrupted;
    private final AtomicCounter headerBlockTooLong;
    private final AtomicCounter hpackBadIndex;
    private final AtomicCounter hpackHuffman;
    private final AtomicCounter hpackOther;
    private final AtomicCounter headerListTooLong;
    private final AtomicCounter bodyTooLong;
    private final AtomicCounter jsonTruncated;
    private final AtomicCounter jsonTooDeep;
    private final AtomicCounter jsonSyntax;
    private final AtomicCounter multipartNoJson;
    private final AtomicCounter badSupi;
    private final AtomicCounter badGpsi;
    private final AtomicCounter badPei;
    private final AtomicCounter badPlmn;
    private final AtomicCounter badLocation;
    private final AtomicCounter noBuffer;
    private final AtomicCounter paired;
    private final AtomicCounter timedOut;
    private final AtomicCounter flushed;
    private final AtomicCounter reset;
    private final AtomicCounter superseded;
    private final AtomicCounter pendingEvicted;
    private final AtomicCounter responseWithoutRequest;

    public SbiDecoder(final Counters counters, final SbiConfig config) {
        config.conclude();
        this.config = config;
        final int dirs = config.connections();
        dirIndex = new Long2LongHashMap(dirs * 2, 0.6f, NO_SLOT);
        dirKey = new long[dirs];
        dirLastNs = new long[dirs];
        dirState = new byte[dirs];
        dirDecoder = new HpackBlockDecoder[dirs];
        dirMaxFrame = new int[dirs];
        dirBlockStream = new int[dirs];
        dirBlockEndStream = new boolean[dirs];
        dirBlockBuffer = new int[dirs];
        freeDirs = new int[dirs];
        for (int i = 0; i < dirs; i++) {
            freeDirs[i] = dirs - 1 - i;
        }
        freeDirCount = dirs;
        for (int i = 0; i < BLOCK_BUFFERS; i++) {
            freeBlocks[i] = BLOCK_BUFFERS - 1 - i;
        }
        freeBlockCount = BLOCK_BUFFERS;
        scratchBlock = Unpooled.buffer(Math.min(config.maxHeaderBlockBytes(), Http2Frame.DEFAULT_MAX_FRAME_SIZE),
            config.maxHeaderBlockBytes());
        capture = new HeaderCapture(config.maxPathBytes());
        capture.clear();

        pending = new PendingRequestTable(config.streams(), 0);
        final int cap = pending.capacity();
        sOp = new int[cap];
        sMethod = new byte[cap];
        sFlags = new int[cap];
        sStream = new int[cap];
        sPath = new byte[cap * config.maxPathBytes()];
        sPathLen = new int[cap];
        sBoundary = new byte[cap * BOUNDARY_CAPACITY];
        sBoundaryLen = new int[cap];
        sBody = new int[cap];
        java.util.Arrays.fill(sBody, -1);
        sReqFrame = new long[cap];
        sReqNs = new long[cap];
        sReqSource = new int[cap];
        // bodies are only held between a request's HEADERS and its END_STREAM: a small pool, filled lazily
        final int bodies = Math.min(cap, 256);
        bodyBytes = new byte[bodies][];
        bodyViews = new ByteBuf[bodies];
        bodyLen = new int[bodies];
        freeBodies = new int[bodies];
        for (int i = 0; i < bodies; i++) {
            freeBodies[i] = bodies - 1 - i;
        }
        freeBodyCount = bodies;
        json = new JsonScanner(config.maxJsonDepth());
        currentPath = new byte[config.maxPathBytes()];

        frames = counters.counter(PREFIX + "frames");
        messages = counters.counter(PREFIX + "messages");
        prefaces = counters.counter(PREFIX + "prefaces");
        midstream = counters.counter(PREFIX + "midstream");
        unknownDynamic = counters.counter(PREFIX + "midstream.unknown_dynamic");
        unknownType = counters.counter(PREFIX + "frames.unknown_type");
        dirsEvicted = counters.counter(PREFIX + "directions.evicted");
        frameTooLong = counters.counter(ERROR + FRAME_TOO_LONG);
        badStreamId = counters.counter(ERROR + BAD_STREAM_ID);
        badPadding = counters.counter(ERROR + BAD_PADDING);
        badFrameLength = counters.counter(ERROR + BAD_FRAME_LENGTH);
        badSettings = counters.counter(ERROR + BAD_SETTINGS);
        continuationWithoutHeaders = counters.counter(ERROR + CONTINUATION_WITHOUT_HEADERS);
        headersInterrupted = counters.counter(ERROR + HEADERS_INTERRUPTED);
        headerBlockTooLong = counters.counter(ERROR + HEADER_BLOCK_TOO_LONG);
        hpackBadIndex = counters.counter(ERROR + HPACK_BAD_INDEX);
        hpackHuffman = counters.counter(ERROR + HPACK_HUFFMAN);
        hpackOther = counters.counter(ERROR + HPACK_OTHER);
        headerListTooLong = counters.counter(ERROR + HEADER_LIST_TOO_LONG);
        bodyTooLong = counters.counter(ERROR + BODY_TOO_LONG);
        jsonTruncated = counters.counter(ERROR + JSON_TRUNCATED);
        jsonTooDeep = counters.counter(ERROR + JSON_TOO_DEEP);
        jsonSyntax = counters.counter(ERROR + JSON_SYNTAX);
        multipartNoJson = counters.counter(ERROR + MULTIPART_NO_JSON);
        badSupi = counters.counter(ERROR + BAD_SUPI);
        badGpsi = counters.counter(ERROR + BAD_GPSI);
        badPei = counters.counter(ERROR + BAD_PEI);
        badPlmn = counters.counter(ERROR + BAD_PLMN);
        badLocation = counters.counter(ERROR + BAD_LOCATION);
        noBuffer = counters.counter(ERROR + NO_BUFFER);
        paired = counters.counter(CORRELATE + "paired");
        timedOut = counters.counter(CORRELATE + "timed_out");
        flushed = counters.counter(CORRELATE + "flushed");
        reset = counters.counter(CORRELATE + "reset");
        superseded = counters.counter(CORRELATE + "superseded");
        pendingEvicted = counters.counter(CORRELATE + "pending_evicted");
        responseWithoutRequest = counters.counter(CORRELATE + "response_without_request");
    }

    public SbiConfig config() {
        return config;
    }

    /** Requests waiting for their response. */
    public int pendingRequests() {
        return pending.size();
    }

    /** Connection directions tracked now. */
    public int directions() {
        return config.connections() - freeDirCount;
    }

    // ---- what the delivered message came from (valid during the sink callback) ----

    /** HTTP/2 stream id of the message being delivered. */
    public int currentStreamId() {
        return currentStream;
    }

    /** The request method ({@link SbiOperation#GET}...), for a response the method of its request (0 unknown). */
    public int currentMethod() {
        return currentMethod;
    }

    /** The response {@code :status}, -1 for a request. */
    public int currentStatus() {
        return currentStatus;
    }

    /** The request {@code :path} (as kept, up to maxPathBytes), for tools and tests; allocates. */
    public String currentPath() {
        return new String(currentPath, 0, currentPathLength, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    // ---- framing ------------------------------------------------------------------------------

    @Override
    public int messageLength(final ByteBuf buffer, final int offset, final int available) {
        if (available <= 0) {
            return NEED_MORE;
        }
        final int preface = Http2Frame.prefaceMatch(buffer, offset, available);
        if (preface == Http2Frame.PREFACE_LENGTH) {
            return Http2Frame.PREFACE_LENGTH;
        }
        if (preface == available) {
            return NEED_MORE; // a preface so far
        }
        if (available < Http2Frame.HEADER_LENGTH) {
            return NEED_MORE;
        }
        final int length = Http2Frame.length(buffer, offset);
        if (length > config.maxFrameBytes()) {
            return NOT_A_MESSAGE;
        }
        final int total = Http2Frame.HEADER_LENGTH + length;
        return available < total ? NEED_MORE : total;
    }

    /**
     * The preface, or a frame header {@link Http2Frame#plausible} within the default frame size whose
     * successor (when it is in the available bytes) is plausible too: one header-shaped run inside a
     * DATA payload is easy to meet, two in a row at the right distance are not.
     */
    @Override
    public int findMessageStart(final ByteBuf buffer, final int offset, final int available) {
        for (int i = 0; i < available; i++) {
            final int left = available - i;
            final int preface = Http2Frame.prefaceMatch(buffer, offset + i, left);
            if (preface == Http2Frame.PREFACE_LENGTH || preface == left) {
                return i;
            }
            if (left < Http2Frame.HEADER_LENGTH) {
                continue;
            }
            if (!Http2Frame.plausible(buffer, offset + i, Http2Frame.DEFAULT_MAX_FRAME_SIZE)) {
                continue;
            }
            final int next = i + Http2Frame.HEADER_LENGTH + Http2Frame.length(buffer, offset + i);
            if (next + Http2Frame.HEADER_LENGTH > available
                || Http2Frame.plausible(buffer, offset + next, Http2Frame.DEFAULT_MAX_FRAME_SIZE)) {
                return i;
            }
        }
        return -1;
    }

    /** True when the bytes start with the HTTP/2 connection preface (content detection on any port). */
    public static boolean startsWithPreface(final ByteBuf buffer, final int offset, final int length) {
        return length >= Http2Frame.PREFACE_LENGTH
            && Http2Frame.prefaceMatch(buffer, offset, length) == Http2Frame.PREFACE_LENGTH;
    }

    @Override
    public void decode(final PacketInfo packet, final ByteBuf b, final int offset, final int length,
        final MessageSink sink) {
        final long srcKey = packet.srcKey();
        final long dstKey = packet.dstKey();
        final long key = directionKey(srcKey, dstKey);
        if (length == Http2Frame.PREFACE_LENGTH && startsWithPreface(b, offset, length)) {
            preface(key, directionKey(dstKey, srcKey), packet.timeNs);
            return;
        }
        if (length < Http2Frame.HEADER_LENGTH || Http2Frame.length(b, offset) != length - Http2Frame.HEADER_LENGTH) {
            badFrameLength.increment(); // not one whole frame: the framer and the decoder disagree
            return;
        }
        frames.increment();
        int dir = direction(key, packet.timeNs);
        if (dir < 0) {
            dir = createDirection(key, packet.timeNs, false);
        }
        final int type = Http2Frame.type(b, offset);
        final int flags = Http2Frame.flags(b, offset);
        final int stream = Http2Frame.streamId(b, offset);
        final int payload = offset + Http2Frame.HEADER_LENGTH;
        final int payloadLength = length - Http2Frame.HEADER_LENGTH;
        if (payloadLength > dirMaxFrame[dir]) {
            // RFC 9113 4.2: larger than the receiver allowed, a FRAME_SIZE_ERROR. A lost header block
            // may have changed the table.
            frameTooLong.increment();
            if (type == Http2Frame.HEADERS || type == Http2Frame.CONTINUATION || dirBlockStream[dir] != 0) {
                dropBlock(dir);
                loseTable(dir);
            }
            return;
        }
        if (dirBlockStream[dir] != 0 && (type != Http2Frame.CONTINUATION || stream != dirBlockStream[dir])) {
            // RFC 9113 6.10: a header block's frames are contiguous on the connection
            headersInterrupted.increment();
            dropBlock(dir);
            loseTable(dir);
        }
        switch (type) {
            case Http2Frame.DATA:
                data(dir, packet, b, payload, payloadLength, flags, stream, sink);
                break;
            case Http2Frame.HEADERS:
                headers(dir, packet, b, payload, payloadLength, flags, stream, sink);
                break;
            case Http2Frame.CONTINUATION:
                continuation(dir, packet, b, payload, payloadLength, flags, stream, sink);
                break;
            case Http2Frame.SETTINGS:
                settings(directionKey(dstKey, srcKey), dir, packet.timeNs, b, payload, payloadLength, flags, stream);
                break;
            case Http2Frame.RST_STREAM:
                if (stream == 0 || payloadLength != 4) {
                    (stream == 0 ? badStreamId : badFrameLength).increment();
                    break;
                }
                rstStream(packet, stream, sink);
                break;
            case Http2Frame.PRIORITY:
                if (stream == 0 || payloadLength != 5) {
                    (stream == 0 ? badStreamId : badFrameLength).increment();
                }
                break;
            case Http2Frame.PING:
                if (stream != 0 || payloadLength != 8) {
                    (stream != 0 ? badStreamId : badFrameLength).increment();
                }
                break;
            case Http2Frame.GOAWAY:
                // streams above the last stream id were not processed; they complete as unknown on timeout
                if (stream != 0 || payloadLength < 8) {
                    (stream != 0 ? badStreamId : badFrameLength).increment();
                }
                break;
            case Http2Frame.WINDOW_UPDATE:
                if (payloadLength != 4) {
                    badFrameLength.increment();
                }
                break;
            case Http2Frame.PUSH_PROMISE:
                // RFC 9113 8.4: SBI does not push (TS 29.500 5.2.2.2); its header block still changes
                // the table, which we do not follow
                loseTable(dir);
                break;
            default:
                unknownType.increment(); // RFC 9113 5.5: unknown types are ignored
                break;
        }
    }

    // ---- frames -------------------------------------------------------------------------------

    private void preface(final long key, final long reverse, final long nowNs) {
        prefaces.increment();
        // a new connection (possibly on the ports of an old one): both tables start empty
        int dir = direction(key, nowNs);
        if (dir < 0) {
            dir = createDirection(key, nowNs, true);
        } else {
            resetDirection(dir, true);
        }
        dirState[dir] |= DIR_CLIENT;
        int rev = direction(reverse, nowNs);
        if (rev < 0) {
            createDirection(reverse, nowNs, true);
        } else {
            resetDirection(rev, true);
        }
    }

    private void settings(final long reverseKey, final int dir, final long nowNs, final ByteBuf b, final int p,
        final int n, final int flags, final int stream) {
        if (stream != 0) {
            badStreamId.increment();
            return;
        }
        if ((flags & Http2Frame.FLAG_ACK) != 0) {
            if (n != 0) {
                badSettings.increment();
            }
            return;
        }
        if (n % Http2Frame.SETTING_LENGTH != 0) {
            badSettings.increment();
            return;
        }
        // the sender's limits apply to what the other side sends it: the reverse direction
        int rev = direction(reverseKey, nowNs);
        if (rev < 0) {
            rev = createDirection(reverseKey, nowNs, (dirState[dir] & DIR_KNOWN) != 0);
        }
        for (int i = 0; i < n; i += Http2Frame.SETTING_LENGTH) {
            final int id = b.getUnsignedShort(p + i);
            final long value = b.getUnsignedInt(p + i + 2);
            if (id == Http2Frame.SETTINGS_MAX_FRAME_SIZE) {
                if (value < Http2Frame.DEFAULT_MAX_FRAME_SIZE || value > Http2Frame.MAX_LENGTH) {
                    badSettings.increment(); // RFC 9113 6.5.2: a PROTOCOL_ERROR
                    continue;
                }
                dirMaxFrame[rev] = (int) Math.min(value, config.maxFrameBytes());
            } else if (id == Http2Frame.SETTINGS_HEADER_TABLE_SIZE) {
                // the encoder may grow its table to this with a size update (RFC 7541 4.2); allowing at
                // least the initial 4096 keeps a block that skipped a required shrink readable
                final long allowed = Math.min(Math.max(value, Http2Frame.DEFAULT_HEADER_TABLE_SIZE),
                    config.maxHeaderTableBytes());
                setTableLimit(decoderOf(rev), allowed);
            }
        }
    }

    private void data(final int dir, final PacketInfo packet, final ByteBuf b, final int p, final int n,
        final int flags, final int stream, final MessageSink sink) {
        if (stream == 0) {
            badStreamId.increment();
            return;
        }
        int from = p;
        int length = n;
        if ((flags & Http2Frame.FLAG_PADDED) != 0) {
            if (n < 1) {
                badPadding.increment();
                return;
            }
            final int pad = b.getUnsignedByte(p);
            if (pad >= n) {
                badPadding.increment(); // RFC 9113 6.1: padding as long as the payload is a PROTOCOL_ERROR
                return;
            }
            from = p + 1;
            length = n - 1 - pad;
        }
        final int slot = pending.find(streamKey(packet, stream));
        if (slot < 0 || (sFlags[slot] & S_REQ_DONE) != 0) {
            return; // a response body or a stream we do not follow
        }
        appendBody(slot, b, from, length);
        if ((flags & Http2Frame.FLAG_END_STREAM) != 0) {
            emitRequest(slot, packet.frame, packet.timeNs, packet.sourceId, sink);
        }
    }

    private void headers(final int dir, final PacketInfo packet, final ByteBuf b, final int p, final int n,
        final int flags, final int stream, final MessageSink sink) {
        if (stream == 0) {
            badStreamId.increment();
            loseTable(dir);
            return;
        }
        int from = p;
        int end = p + n;
        if ((flags & Http2Frame.FLAG_PADDED) != 0) {
            if (n < 1) {
                badPadding.increment();
                loseTable(dir);
                return;
            }
            final int pad = b.getUnsignedByte(p);
            from++;
            end -= pad;
        }
        if ((flags & Http2Frame.FLAG_PRIORITY) != 0) {
            from += 5; // RFC 9113 6.2: exclusive bit + stream dependency (4) and weight (1)
        }
        if (from > end) {
            badPadding.increment(); // padding or priority fields longer than the frame
            loseTable(dir);
            return;
        }
        final boolean endStream = (flags & Http2Frame.FLAG_END_STREAM) != 0;
        if ((flags & Http2Frame.FLAG_END_HEADERS) != 0) {
            scratchBlock.clear();
            if (end - from > scratchBlock.maxCapacity()) {
                headerBlockTooLong.increment();
                loseTable(dir);
                return;
            }
            scratchBlock.writeBytes(b, from, end - from);
            block(dir, packet, stream, endStream, scratchBlock, sink);
            return;
        }
        if (freeBlockCount == 0) {
            noBuffer.increment();
            loseTable(dir);
            return;
        }
        final int buf = freeBlocks[--freeBlockCount];
        if (blockBuffers[buf] == null) {
            blockBuffers[buf] = Unpooled.buffer(Http2Frame.DEFAULT_MAX_FRAME_SIZE, config.maxHeaderBlockBytes());
        }
        final ByteBuf block = blockBuffers[buf].clear();
        if (end - from > block.maxCapacity()) {
            freeBlocks[freeBlockCount++] = buf;
            headerBlockTooLong.increment();
            loseTable(dir);
            return;
        }
        block.writeBytes(b, from, end - from);
        dirBlockBuffer[dir] = buf;
        dirBlockStream[dir] = stream;
        dirBlockEndStream[dir] = endStream;
    }

    private void continuation(final int dir, final PacketInfo packet, final ByteBuf b, final int p, final int n,
        final int flags, final int stream, final MessageSink sink) {
        if (dirBlockStream[dir] == 0 || stream != dirBlockStream[dir]) {
            // RFC 9113 6.10: a CONTINUATION must follow a HEADERS without END_HEADERS on its stream;
            // the block it continues was lost, and with it what it did to the table
            continuationWithoutHeaders.increment();
            loseTable(dir);
            return;
        }
        final ByteBuf block = blockBuffers[dirBlockBuffer[dir]];
        if (n > block.maxWritableBytes()) {
            headerBlockTooLong.increment();
            dropBlock(dir);
            loseTable(dir);
            return;
        }
        block.writeBytes(b, p, n);
        if ((flags & Http2Frame.FLAG_END_HEADERS) != 0) {
            final boolean endStream = dirBlockEndStream[dir];
            block(dir, packet, stream, endStream, block, sink);
            dropBlock(dir);
        }
    }

    private void rstStream(final PacketInfo packet, final int stream, final MessageSink sink) {
        final int slot = pending.find(streamKey(packet, stream));
        if (slot >= 0) {
            reset.increment();
            completeUnanswered(slot, sink);
        }
    }

    /** One whole header block: through HPACK, then a request start, a response, or trailers. */
    private void block(final int dir, final PacketInfo packet, final int stream, final boolean endStream,
        final ByteBuf block, final MessageSink sink) {
        final HpackBlockDecoder decoder = decoderOf(dir);
        final boolean known = (dirState[dir] & DIR_KNOWN) != 0;
        if (!known && (dirState[dir] & DIR_MIDSTREAM_COUNTED) == 0) {
            dirState[dir] |= DIR_MIDSTREAM_COUNTED;
            midstream.increment();
        }
        try {
            decoder.decodeHeaders(stream, block);
        } catch (final Http2Exception.HeaderListSizeException e) {
            // Netty decodes the whole block before it refuses the list, so the table stays in step
            headerListTooLong.increment();
            return;
        } catch (final Http2Exception e) {
            final String reason = e.getMessage();
            if (reason != null && reason.contains("index")) {
                (known ? hpackBadIndex : unknownDynamic).increment();
                loseTable(dir);
                if (!known && (capture.methodLength > 0 || capture.status >= 0)) {
                    // The fields before the unknown reference were decoded exactly (pseudo-header
                    // fields come first, RFC 9113 8.3): keep the request or response they start;
                    // nothing after the reference is used.
                    headersDecoded(packet, stream, endStream, sink);
                }
                return;
            } else if (reason != null && (reason.contains("Bad Encoding") || reason.contains("uffman"))) {
                // Netty's Huffman decoder: "HPACK - Bad Encoding" (RFC 7541 5.2: EOS or bad padding)
                hpackHuffman.increment();
            } else {
                hpackOther.increment();
            }
            loseTable(dir);
            return;
        } catch (final RuntimeException e) {
            hpackOther.increment();
            loseTable(dir);
            return;
        }
        headersDecoded(packet, stream, endStream, sink);
    }

    private void headersDecoded(final PacketInfo packet, final int stream, final boolean endStream,
        final MessageSink sink) {
        final HeaderCapture h = capture;
        if (h.methodLength > 0) {
            requestStart(packet, stream, endStream, h, sink);
        } else if (h.status >= 0) {
            response(packet, stream, h.status, sink);
        } else if (endStream) {
            // trailers (RFC 9113 8.1) end the request they follow
            final int slot = pending.find(streamKey(packet, stream));
            if (slot >= 0 && (sFlags[slot] & S_REQ_DONE) == 0) {
                emitRequest(slot, packet.frame, packet.timeNs, packet.sourceId, sink);
            }
        }
    }

    // ---- streams ------------------------------------------------------------------------------

    private void requestStart(final PacketInfo packet, final int stream, final boolean endStream,
        final HeaderCapture h, final MessageSink sink) {
        final long key = streamKey(packet, stream);
        final int existing = pending.find(key);
        if (existing >= 0) {
            superseded.increment(); // a stream id used again: a new connection on the same ports
            completeUnanswered(existing, sink);
        }
        if (pending.isFull()) {
            pendingEvicted.increment();
            completeUnanswered(pending.oldest(), sink);
        }
        final int slot = pending.insert(key, packet.timeNs + config.answerTimeoutNs());
        if (slot < 0) {
            return;
        }
        final int method = SbiOperation.method(h.method, h.methodLength);
        sMethod[slot] = (byte) method;
        sStream[slot] = stream;
        sFlags[slot] = 0;
        final int maxPath = config.maxPathBytes();
        System.arraycopy(h.path, 0, sPath, slot * maxPath, h.pathLength);
        sPathLen[slot] = h.pathLength;
        sOp[slot] = SbiOperation.classify(method, h.path, h.pathLength);
        sBoundaryLen[slot] = 0;
        contentType(slot, h.contentType, h.contentTypeLength);
        sReqFrame[slot] = packet.frame;
        sReqNs[slot] = packet.timeNs;
        sReqSource[slot] = packet.sourceId;
        if (endStream) {
            emitRequest(slot, packet.frame, packet.timeNs, packet.sourceId, sink);
        }
    }

    private void response(final PacketInfo packet, final int stream, final int status, final MessageSink sink) {
        final int slot = pending.find(streamKey(packet, stream));
        if (slot >= 0 && (sFlags[slot] & S_EMITTED) == 0) {
            emitRequest(slot, packet.frame, packet.timeNs, packet.sourceId, sink); // answered before its END_STREAM
        }
        final int op = slot >= 0 ? sOp[slot] : SbiOperation.OTHER;
        final Outcome outcome = status >= 200 && status < 300 ? Outcome.ACCEPTED
            : status >= 400 && status < 600 ? Outcome.REJECTED : Outcome.UNKNOWN;
        final SignalingMessage m = message.reset();
        m.header(packet.frame, packet.timeNs, packet.sourceId);
        m.message(Protocol.SBI, op, SbiOperation.responseName(op), false);
        m.outcome(outcome);
        current(slot, stream, status);
        messages.increment();
        sink.onMessage(m);
        if (slot < 0) {
            responseWithoutRequest.increment();
            return;
        }
        final SignalingMessage pr = procedure.copyFrom(pending.message(slot));
        pr.header(packet.frame, packet.timeNs, packet.sourceId);
        pr.outcome(outcome);
        paired.increment();
        pending.remove(slot);
        sink.onProcedure(pr);
    }

    /** A request that got no response: completes with outcome unknown. */
    private void completeUnanswered(final int slot, final MessageSink sink) {
        if ((sFlags[slot] & S_EMITTED) == 0) {
            emitRequest(slot, sReqFrame[slot], sReqNs[slot], sReqSource[slot], sink);
        }
        final SignalingMessage pr = procedure.copyFrom(pending.message(slot));
        pr.outcome(Outcome.UNKNOWN);
        pending.remove(slot);
        sink.onProcedure(pr);
    }

    /** The request is whole (or will get no more): decode it, deliver it, keep it for its response. */
    private void emitRequest(final int slot, final long frame, final long timeNs, final int sourceId,
        final MessageSink sink) {
        final SignalingMessage m = message.reset();
        m.header(frame, timeNs, sourceId);
        fields.reset();
        final int maxPath = config.maxPathBytes();
        pathIdentity(m, sPath, slot * maxPath, sPathLen[slot]);
        final int body = sBody[slot];
        if (body >= 0) {
            scanBody(slot, bodyViews[body], bodyLen[body], m);
            freeBodies[freeBodyCount++] = body;
            sBody[slot] = -1;
        }
        int op = sOp[slot];
        if (op == SbiOperation.OTHER && sMethod[slot] == SbiOperation.POST && fields.notification) {
            op = SbiOperation.AMF_EVENT_NOTIFY;
            sOp[slot] = op;
        }
        fields.apply(m);
        m.message(Protocol.SBI, op, SbiOperation.requestName(op, sMethod[slot]), true);
        m.event(eventOf(op, m));
        sFlags[slot] |= S_EMITTED | S_REQ_DONE;
        current(slot, sStream[slot], -1);
        messages.increment();
        sink.onMessage(m);
        pending.message(slot).copyFrom(m);
    }

    private void current(final int slot, final int stream, final int status) {
        currentSlot = slot;
        currentStream = stream;
        currentStatus = status;
        if (slot >= 0) {
            currentMethod = sMethod[slot];
            currentPathLength = sPathLen[slot];
            System.arraycopy(sPath, slot * config.maxPathBytes(), currentPath, 0, currentPathLength);
        } else {
            currentMethod = SbiOperation.METHOD_NONE;
            currentPathLength = 0;
        }
    }

    /** DESIGN §4 kinds: registration as Diameter's ULR (initial = power on), PDU session create = data session. */
    private EventKind eventOf(final int op, final SignalingMessage m) {
        switch (op) {
            case SbiOperation.UECM_REGISTRATION:
                if (fields.initialRegistration) {
                    return EventKind.POWER_ON;
                }
                return roaming(m) ? EventKind.ROAMING_REGISTRATION : EventKind.LOCATION_UPDATE;
            case SbiOperation.UECM_REGISTRATION_UPDATE:
                if (fields.purge) {
                    return EventKind.POWER_OFF; // TS 29.503 5.3.2.4.2: purgeFlag in the AMF's PATCH
                }
                break;
            case SbiOperation.SMF_CREATE_SM_CONTEXT:
            case SbiOperation.SMF_CREATE_PDU_SESSION:
                return EventKind.DATA_SESSION_START;
            case SbiOperation.AMF_EVENT_NOTIFY:
                if ((m.present() & (SignalingMessage.TAC | SignalingMessage.NCI | SignalingMessage.ECI)) != 0) {
                    return EventKind.LOCATION_UPDATE;
                }
                break;
            default:
                break;
        }
        return m.onWire(SignalingMessage.IMEI) ? EventKind.HANDSET_REPORTED : EventKind.NONE;
    }

    /** Roaming when the serving PLMN (GUAMI or servingNetwork) is not the SUPI's own network. */
    private static boolean roaming(final SignalingMessage m) {
        return m.has(SignalingMessage.SERVING_PLMN) && m.has(SignalingMessage.IMSI)
            && !Digits.startsWith(m.imsi(), m.servingPlmn());
    }

    // ---- bodies -------------------------------------------------------------------------------

    private void appendBody(final int slot, final ByteBuf b, final int from, final int length) {
        if (length <= 0 || (sFlags[slot] & S_BODY_OVERFLOW) != 0) {
            return;
        }
        int body = sBody[slot];
        if (body < 0) {
            if (freeBodyCount == 0) {
                noBuffer.increment();
                sFlags[slot] |= S_BODY_OVERFLOW;
                return;
            }
            body = freeBodies[--freeBodyCount];
            if (bodyBytes[body] == null) {
                bodyBytes[body] = new byte[config.maxBodyBytes()];
                bodyViews[body] = Unpooled.wrappedBuffer(bodyBytes[body]);
            }
            bodyLen[body] = 0;
            sBody[slot] = body;
        }
        final int room = config.maxBodyBytes() - bodyLen[body];
        final int n = Math.min(room, length);
        b.getBytes(from, bodyBytes[body], bodyLen[body], n);
        bodyLen[body] += n;
        if (n < length) {
            bodyTooLong.increment(); // what fits is still scanned; a JSON cut short is counted as such
            sFlags[slot] |= S_BODY_OVERFLOW;
        }
    }

    private static final byte[] MULTIPART_RELATED = ascii("multipart/related");
    private static final byte[] JSON_WORD = ascii("json");
    private static final byte[] BOUNDARY_PARAM = ascii("boundary=");

    /** Notes how the body is to be read: JSON, or the boundary of a multipart/related body (RFC 2387). */
    private void contentType(final int slot, final byte[] ct, final int n) {
        if (n == 0) {
            sFlags[slot] |= S_JSON; // a body without a type: scanned if it is JSON
            return;
        }
        if (startsWithIgnoreCase(ct, 0, n, MULTIPART_RELATED)) {
            final int at = indexOfIgnoreCase(ct, 0, n, BOUNDARY_PARAM);
            if (at < 0) {
                return;
            }
            int from = at + BOUNDARY_PARAM.length;
            int end = from;
            if (from < n && ct[from] == '"') {
                from++;
                end = from;
                while (end < n && ct[end] != '"') {
                    end++;
                }
            } else {
                while (end < n && ct[end] != ';' && ct[end] != ' ') {
                    end++;
                }
            }
            final int len = Math.min(end - from, BOUNDARY_CAPACITY);
            System.arraycopy(ct, from, sBoundary, slot * BOUNDARY_CAPACITY, len);
            sBoundaryLen[slot] = len;
            sFlags[slot] |= S_MULTIPART;
        } else if (indexOfIgnoreCase(ct, 0, n, JSON_WORD) >= 0) {
            sFlags[slot] |= S_JSON; // application/json, application/problem+json, 3gppHal+json...
        }
    }

    private void scanBody(final int slot, final ByteBuf body, final int length, final SignalingMessage m) {
        int from = 0;
        int end = length;
        if ((sFlags[slot] & S_MULTIPART) != 0) {
            final long part = jsonPart(body, length, slot * BOUNDARY_CAPACITY, sBoundaryLen[slot]);
            if (part < 0) {
                multipartNoJson.increment();
                return;
            }
            from = (int) (part >>> 32);
            end = (int) part;
        } else if ((sFlags[slot] & S_JSON) == 0) {
            return;
        } else if (length > 4 && body.getByte(0) == '-' && body.getByte(1) == '-') {
            // no content type (lost with the rest of a header block): a body that opens with a
            // delimiter line is multipart (RFC 2046 5.1.1), and that line names the boundary
            int eol = 2;
            while (eol < length && eol < 2 + BOUNDARY_CAPACITY && body.getByte(eol) != '\r') {
                eol++;
            }
            final int n = eol - 2;
            body.getBytes(2, sBoundary, slot * BOUNDARY_CAPACITY, n);
            final long part = jsonPart(body, length, slot * BOUNDARY_CAPACITY, n);
            if (part < 0) {
                multipartNoJson.increment();
                return;
            }
            from = (int) (part >>> 32);
            end = (int) part;
        }
        while (from < end && body.getByte(from) <= ' ') {
            from++;
        }
        if (from >= end || (body.getByte(from) != '{' && body.getByte(from) != '[')) {
            return; // not JSON (an empty body, or a type we do not read)
        }
        final int status = json.scan(body, from, end - from, fields);
        if (status == JsonScanner.TRUNCATED) {
            jsonTruncated.increment();
        } else if (status == JsonScanner.TOO_DEEP) {
            jsonTooDeep.increment();
        } else if (status == JsonScanner.BAD_SYNTAX) {
            jsonSyntax.increment();
        }
    }

    /**
     * The first part whose Content-Type names JSON (RFC 2046 5.1.1: parts start after
     * {@code --boundary CRLF}, their headers end at an empty line, the part at {@code CRLF--boundary}).
     * Returns (start << 32 | end) in the body, or -1.
     */
    private long jsonPart(final ByteBuf body, final int length, final int boundaryAt, final int boundaryLength) {
        if (boundaryLength == 0) {
            return -1;
        }
        int at = 0;
        for (int parts = 0; parts < 64; parts++) {
            final int delim = indexOfDelimiter(body, at, length, boundaryAt, boundaryLength);
            if (delim < 0) {
                return -1;
            }
            final int headers = delim + 2 + boundaryLength;
            if (headers + 2 <= length && body.getByte(headers) == '-' && body.getByte(headers + 1) == '-') {
                return -1; // the close delimiter
            }
            final int blank = indexOfCrlfCrlf(body, headers, length);
            if (blank < 0) {
                return -1;
            }
            final int content = blank + 4;
            int next = indexOfDelimiter(body, content, length, boundaryAt, boundaryLength);
            final int contentEnd = next < 0 ? length : next >= 2 && body.getByte(next - 2) == '\r' ? next - 2 : next;
            if (containsIgnoreCase(body, headers, blank, JSON_WORD)) {
                return (long) content << 32 | contentEnd;
            }
            if (next < 0) {
                return -1;
            }
            at = next;
        }
        return -1;
    }

    private int indexOfDelimiter(final ByteBuf body, final int from, final int end, final int bAt, final int bLen) {
        outer:
        for (int i = from; i + 2 + bLen <= end; i++) {
            if (body.getByte(i) != '-' || body.getByte(i + 1) != '-') {
                continue;
            }
            for (int k = 0; k < bLen; k++) {
                if (body.getByte(i + 2 + k) != sBoundary[bAt + k]) {
                    continue outer;
                }
            }
            if (i == 0 || body.getByte(i - 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfCrlfCrlf(final ByteBuf b, final int from, final int end) {
        for (int i = from; i + 4 <= end; i++) {
            if (b.getByte(i) == '\r' && b.getByte(i + 1) == '\n' && b.getByte(i + 2) == '\r' && b.getByte(i + 3) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean containsIgnoreCase(final ByteBuf b, final int from, final int end, final byte[] word) {
        outer:
        for (int i = from; i + word.length <= end; i++) {
            for (int k = 0; k < word.length; k++) {
                if (lower(b.getByte(i + k)) != word[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    // ---- identities ---------------------------------------------------------------------------

    private static final byte[] IMSI_PREFIX = ascii("imsi-");
    private static final byte[] MSISDN_PREFIX = ascii("msisdn-");
    private static final byte[] IMEI_PREFIX = ascii("imei-");
    private static final byte[] IMEISV_PREFIX = ascii("imeisv-");
    private static final byte[] SUCI_PREFIX = ascii("suci-");

    /** TS 29.571 5.3.2 SupiOrSuci in a path segment: {@code /imsi-<15 digits>/}. */
    private void pathIdentity(final SignalingMessage m, final byte[] path, final int from, final int n) {
        final int end = from + n;
        for (int i = from; i + IMSI_PREFIX.length < end; i++) {
            if (path[i] != '/' || !startsWith(path, i + 1, end, IMSI_PREFIX)) {
                continue;
            }
            final int digits = i + 1 + IMSI_PREFIX.length;
            int e = digits;
            while (e < end && path[e] != '/' && path[e] != '?') {
                e++;
            }
            final long imsi = digits(path, digits, e);
            if (imsi == Digits.INVALID || e - digits < 5 || e - digits > 15) {
                badSupi.increment();
            } else {
                m.imsi(imsi);
            }
            return;
        }
    }

    /** What the JSON body carries, gathered during the scan and written to the message after it. */
    private final class BodyFields implements JsonScanner.Visitor {
        boolean initialRegistration;
        boolean purge;
        boolean notification;
        long imsi;
        long msisdn;
        long imei;
        long imeisv;
        Rat rat;
        int snMcc;
        int snMnc;
        int snMncDigits;
        int guamiMcc;
        int guamiMnc;
        int guamiMncDigits;
        int taiMcc;
        int taiMnc;
        int taiMncDigits;
        int cellMcc;
        int cellMnc;
        int cellMncDigits;
        int tac;
        long nci;
        long eci;
        final byte[] dnn = new byte[SignalingMessage.APN_CAPACITY];
        int dnnLength;

        void reset() {
            initialRegistration = purge = notification = false;
            imsi = msisdn = imei = imeisv = Digits.NONE;
            rat = null;
            snMcc = guamiMcc = taiMcc = cellMcc = -1;
            tac = -1;
            nci = eci = -1;
            dnnLength = -1;
        }

        void apply(final SignalingMessage m) {
            if (imsi != Digits.NONE) {
                m.imsi(imsi);
            }
            if (msisdn != Digits.NONE) {
                m.msisdn(msisdn);
            }
            if (imei != Digits.NONE) {
                m.imei(imei);
            }
            if (imeisv != Digits.NONE) {
                m.imeisv(imeisv);
            }
            if (rat != null) {
                m.rat(rat);
            }
            if (snMcc >= 0) {
                m.servingPlmn(Plmn.of(snMcc, snMnc, snMncDigits));
            } else if (guamiMcc >= 0) {
                m.servingPlmn(Plmn.of(guamiMcc, guamiMnc, guamiMncDigits));
            }
            if (cellMcc >= 0) {
                m.cellPlmn(Plmn.of(cellMcc, cellMnc, cellMncDigits));
            } else if (taiMcc >= 0) {
                m.cellPlmn(Plmn.of(taiMcc, taiMnc, taiMncDigits));
            }
            if (tac >= 0) {
                m.tac(tac);
            }
            if (nci >= 0) {
                m.nci(nci);
            }
            if (eci >= 0) {
                m.eci(eci);
            }
            if (dnnLength >= 0) {
                m.clearApn();
                for (int i = 0; i < dnnLength; i++) {
                    m.appendApn(dnn[i]);
                }
            }
        }

        @Override
        public void value(final long path, final int kind, final ByteBuf b, final int off, final int len) {
            final int marked = BodyPaths.field(path);
            if (marked == BodyPaths.NONE) {
                return;
            }
            if (BodyPaths.inReportList(marked) && json.arrayIndex() != 0) {
                return; // the first report of a notification speaks for it
            }
            final int field = BodyPaths.base(marked);
            switch (field) {
                case BodyPaths.INITIAL_REGISTRATION:
                    initialRegistration = kind == JsonScanner.TRUE;
                    return;
                case BodyPaths.PURGE:
                    purge = kind == JsonScanner.TRUE;
                    return;
                case BodyPaths.NOTIFY_ID:
                case BodyPaths.REPORT_TYPE:
                    notification = true;
                    return;
                default:
                    break;
            }
            if (kind != JsonScanner.STRING) {
                return;
            }
            switch (field) {
                case BodyPaths.SUPI:
                case BodyPaths.REPORT_SUPI:
                    supi(b, off, len, false);
                    break;
                case BodyPaths.SUPI_OR_SUCI:
                    supi(b, off, len, true);
                    break;
                case BodyPaths.GPSI:
                    if (startsWith(b, off, len, MSISDN_PREFIX)) {
                        final long v = Digits.fromAscii(b, off + MSISDN_PREFIX.length, len - MSISDN_PREFIX.length);
                        if (v == Digits.INVALID || len - MSISDN_PREFIX.length < 5) {
                            badGpsi.increment();
                        } else {
                            msisdn = v;
                        }
                    }
                    break;
                case BodyPaths.PEI:
                case BodyPaths.REPORT_PEI:
                    pei(b, off, len);
                    break;
                case BodyPaths.DNN:
                    dnnLength = Math.min(len, dnn.length);
                    b.getBytes(off, dnn, 0, dnnLength);
                    break;
                case BodyPaths.RAT:
                    rat = rat(b, off, len);
                    break;
                case BodyPaths.SN_MCC:
                    snMcc = mcc(b, off, len);
                    break;
                case BodyPaths.SN_MNC:
                    snMnc = mnc(b, off, len);
                    snMncDigits = len;
                    break;
                case BodyPaths.GUAMI_MCC:
                    guamiMcc = mcc(b, off, len);
                    break;
                case BodyPaths.GUAMI_MNC:
                    guamiMnc = mnc(b, off, len);
                    guamiMncDigits = len;
                    break;
                case BodyPaths.TAI_MCC:
                    taiMcc = mcc(b, off, len);
                    break;
                case BodyPaths.TAI_MNC:
                    taiMnc = mnc(b, off, len);
                    taiMncDigits = len;
                    break;
                case BodyPaths.CELL_MCC:
                    cellMcc = mcc(b, off, len);
                    break;
                case BodyPaths.CELL_MNC:
                    cellMnc = mnc(b, off, len);
                    cellMncDigits = len;
                    break;
                case BodyPaths.TAC:
                    // TS 29.571 5.4.2: Tac is 4 (legacy E-UTRA) or 6 hex digits
                    tac = len == 4 || len == 6 ? (int) hex(b, off, len) : -1;
                    if (tac < 0) {
                        badLocation.increment();
                    }
                    break;
                case BodyPaths.NR_CELL_ID:
                    nci = len == 9 ? hex(b, off, len) : -1; // NrCellId: 36 bits, 9 hex digits
                    if (nci < 0) {
                        badLocation.increment();
                    }
                    break;
                case BodyPaths.EUTRA_CELL_ID:
                    eci = len == 7 ? hex(b, off, len) : -1; // EutraCellId: 28 bits, 7 hex digits
                    if (eci < 0) {
                        badLocation.increment();
                    }
                    break;
                default:
                    break;
            }
        }

        private int mcc(final ByteBuf b, final int off, final int len) {
            final long v = len == 3 ? Digits.fromAscii(b, off, len) : Digits.INVALID;
            if (v == Digits.INVALID) {
                badPlmn.increment();
                return -1;
            }
            return (int) Digits.value(v);
        }

        private int mnc(final ByteBuf b, final int off, final int len) {
            final long v = len == 2 || len == 3 ? Digits.fromAscii(b, off, len) : Digits.INVALID;
            if (v == Digits.INVALID) {
                badPlmn.increment();
                return 0;
            }
            return (int) Digits.value(v);
        }

        /** TS 29.571 5.3.2: "imsi-<digits>"; a SUCI (TS 23.003 2.2B) reveals the IMSI only with the null scheme. */
        private void supi(final ByteBuf b, final int off, final int len, final boolean suciAllowed) {
            if (startsWith(b, off, len, IMSI_PREFIX)) {
                final int n = len - IMSI_PREFIX.length;
                final long v = Digits.fromAscii(b, off + IMSI_PREFIX.length, n);
                if (v == Digits.INVALID || n < 5 || n > 15) {
                    badSupi.increment();
                } else {
                    imsi = v;
                }
            } else if (suciAllowed && startsWith(b, off, len, SUCI_PREFIX)) {
                suci(b, off + SUCI_PREFIX.length, off + len);
            }
        }

        /**
         * TS 29.503 6.1.6.2 / TS 23.003 2.2B: suci-{type}-{mcc}-{mnc}-{routing}-{scheme}-{key}-{output};
         * type 0 is an IMSI, scheme 0 the null scheme whose output is the MSIN in clear.
         */
        private void suci(final ByteBuf b, final int from, final int end) {
            final int[] starts = suciFields;
            int count = 0;
            starts[count++] = from;
            for (int i = from; i < end; i++) {
                if (b.getByte(i) == '-') {
                    if (count == SUCI_FIELDS) {
                        badSupi.increment();
                        return;
                    }
                    starts[count++] = i + 1;
                }
            }
            if (count != SUCI_FIELDS) {
                badSupi.increment();
                return;
            }
            if (fieldLength(starts, 0, end) != 1 || b.getByte(starts[0]) != '0'
                || fieldLength(starts, 4, end) != 1 || b.getByte(starts[4]) != '0') {
                return; // not an IMSI, or concealed: nothing to read
            }
            final int mccLen = fieldLength(starts, 1, end);
            final int mncLen = fieldLength(starts, 2, end);
            final int msinLen = fieldLength(starts, 6, end);
            if (mccLen != 3 || (mncLen != 2 && mncLen != 3) || msinLen < 1 || mccLen + mncLen + msinLen > 15) {
                badSupi.increment();
                return;
            }
            long value = 0;
            for (int part = 1; part <= 6; part++) {
                if (part > 2 && part < 6) {
                    continue; // routing indicator, scheme, key id
                }
                final int s = starts[part];
                final int e = s + fieldLength(starts, part, end);
                for (int i = s; i < e; i++) {
                    final int d = b.getByte(i) - '0';
                    if (d < 0 || d > 9) {
                        badSupi.increment();
                        return;
                    }
                    value = value * 10 + d;
                }
            }
            imsi = Digits.pack(value, mccLen + mncLen + msinLen);
        }

        private static final int SUCI_FIELDS = 7;
        private final int[] suciFields = new int[SUCI_FIELDS];

        private int fieldLength(final int[] starts, final int i, final int end) {
            return (i + 1 < SUCI_FIELDS ? starts[i + 1] - 1 : end) - starts[i];
        }

        /** TS 29.571 5.3.2 Pei: "imei-" 15 digits (with the check digit) or "imeisv-" 16 digits. */
        private void pei(final ByteBuf b, final int off, final int len) {
            if (startsWith(b, off, len, IMEISV_PREFIX)) {
                final int n = len - IMEISV_PREFIX.length;
                final long v = Digits.fromAscii(b, off + IMEISV_PREFIX.length, n);
                if (v == Digits.INVALID || n != 16) {
                    badPei.increment();
                    return;
                }
                imeisv = v;
                imei = Digits.prefix(v, 14);
            } else if (startsWith(b, off, len, IMEI_PREFIX)) {
                final int n = len - IMEI_PREFIX.length;
                final long v = Digits.fromAscii(b, off + IMEI_PREFIX.length, n);
                if (v == Digits.INVALID || (n != 15 && n != 14)) {
                    badPei.increment();
                    return;
                }
                imei = Digits.prefix(v, 14);
            }
        }
    }

    /** TS 29.571 5.4.3.2 RatType. */
    private static Rat rat(final ByteBuf b, final int off, final int len) {
        if (len >= 2 && b.getByte(off) == 'N' && b.getByte(off + 1) == 'R') {
            return Rat.NR; // NR, NR_REDCAP, NR_LEO...
        }
        if (equals(b, off, len, "EUTRA")) {
            return Rat.EUTRAN;
        }
        if (equals(b, off, len, "WLAN")) {
            return Rat.WLAN;
        }
        if (equals(b, off, len, "VIRTUAL")) {
            return Rat.VIRTUAL;
        }
        if (equals(b, off, len, "NBIOT")) {
            return Rat.EUTRAN_NB_IOT;
        }
        if (equals(b, off, len, "LTE-M")) {
            return Rat.LTE_M;
        }
        if (equals(b, off, len, "UTRA")) {
            return Rat.UTRAN;
        }
        if (equals(b, off, len, "GERA")) {
            return Rat.GERAN;
        }
        return Rat.UNKNOWN;
    }

    // ---- time ---------------------------------------------------------------------------------

    @Override
    public void advanceTime(final long nowNs, final MessageSink sink) {
        int slot;
        while ((slot = pending.oldestExpired(nowNs)) >= 0) {
            timedOut.increment();
            completeUnanswered(slot, sink);
        }
        // a few direction slots per call: a quiet direction is forgotten after the idle timeout
        final int dirs = dirKey.length;
        for (int i = 0; i < 8; i++) {
            final int d = sweepCursor;
            sweepCursor = (sweepCursor + 1) % dirs;
            if (dirKey[d] != 0 && nowNs - dirLastNs[d] > config.idleTimeoutNs()) {
                releaseDirection(d);
            }
        }
    }

    @Override
    public void flush(final MessageSink sink) {
        int slot;
        while ((slot = pending.oldest()) >= 0) {
            flushed.increment();
            completeUnanswered(slot, sink);
        }
    }

    // ---- directions ---------------------------------------------------------------------------

    private int direction(final long key, final long nowNs) {
        final long slot = dirIndex.get(key);
        if (slot == NO_SLOT) {
            return -1;
        }
        dirLastNs[(int) slot] = nowNs;
        return (int) slot;
    }

    private int createDirection(final long key, final long nowNs, final boolean known) {
        if (freeDirCount == 0) {
            // full: forget the slot the sweep stands at (an arbitrary, probably old, direction)
            dirsEvicted.increment();
            releaseDirection(sweepCursor);
            sweepCursor = (sweepCursor + 1) % dirKey.length;
        }
        final int d = freeDirs[--freeDirCount];
        dirKey[d] = key;
        dirLastNs[d] = nowNs;
        dirIndex.put(key, d);
        resetDirection(d, known);
        return d;
    }

    private void resetDirection(final int d, final boolean known) {
        dropBlock(d);
        dirState[d] = (byte) (known ? DIR_KNOWN : 0);
        dirDecoder[d] = null; // a fresh table when first needed
        // RFC 9113 6.5.2: 16384 until the peer's SETTINGS say more; unknown when first seen mid-stream
        dirMaxFrame[d] = known ? Http2Frame.DEFAULT_MAX_FRAME_SIZE : config.maxFrameBytes();
    }

    private void releaseDirection(final int d) {
        if (dirKey[d] == 0) {
            return;
        }
        dropBlock(d);
        dirIndex.remove(dirKey[d]);
        dirKey[d] = 0;
        dirDecoder[d] = null;
        freeDirs[freeDirCount++] = d;
    }

    private HpackBlockDecoder decoderOf(final int d) {
        HpackBlockDecoder decoder = dirDecoder[d];
        if (decoder == null) {
            decoder = new HpackBlockDecoder(capture, config.maxHeaderListBytes());
            if ((dirState[d] & DIR_KNOWN) == 0) {
                // the encoder may have grown its table before we came: accept any size update
                setTableLimit(decoder, config.maxHeaderTableBytes());
            }
            dirDecoder[d] = decoder;
        }
        return decoder;
    }

    private void setTableLimit(final HpackBlockDecoder decoder, final long bytes) {
        try {
            decoder.maxHeaderTableSize(bytes);
        } catch (final Http2Exception e) {
            badSettings.increment();
        }
    }

    /**
     * The direction's table can no longer be trusted (a block was lost or failed half-way): start a
     * new, empty one and treat the direction as first seen mid-stream.
     */
    private void loseTable(final int d) {
        dirState[d] &= ~DIR_KNOWN;
        dirDecoder[d] = null;
    }

    private void dropBlock(final int d) {
        if (dirBlockStream[d] != 0) {
            freeBlocks[freeBlockCount++] = dirBlockBuffer[d];
            dirBlockStream[d] = 0;
        }
    }

    // ---- keys and bytes -----------------------------------------------------------------------

    private static long directionKey(final long from, final long to) {
        long h = from * 0x9E3779B97F4A7C15L + to;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        if (h == 0) {
            h = 1; // 0 marks a free slot
        }
        return h;
    }

    /** A stream of a connection, the same from both directions (RFC 9113 5.1.1: ids are per connection). */
    private static long streamKey(final PacketInfo p, final int stream) {
        long h = p.peerKey() * 0xC2B2AE3D27D4EB4FL + stream;
        return h ^ (h >>> 33);
    }

    private static long digits(final byte[] s, final int from, final int end) {
        final int n = end - from;
        if (n <= 0 || n > Digits.MAX_DIGITS) {
            return Digits.INVALID;
        }
        long v = 0;
        for (int i = from; i < end; i++) {
            final int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return Digits.INVALID;
            }
            v = v * 10 + d;
        }
        return Digits.pack(v, n);
    }

    private static long hex(final ByteBuf b, final int off, final int len) {
        long v = 0;
        for (int i = 0; i < len; i++) {
            final int c = b.getByte(off + i);
            final int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    private static boolean startsWith(final ByteBuf b, final int off, final int len, final byte[] p) {
        if (len < p.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (b.getByte(off + i) != p[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(final byte[] s, final int from, final int end, final byte[] p) {
        if (end - from < p.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (s[from + i] != p[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean equals(final ByteBuf b, final int off, final int len, final String s) {
        if (len != s.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (b.getByte(off + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithIgnoreCase(final byte[] s, final int from, final int n, final byte[] p) {
        if (n - from < p.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (lower(s[from + i]) != p[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfIgnoreCase(final byte[] s, final int from, final int n, final byte[] p) {
        for (int i = from; i + p.length <= n; i++) {
            if (startsWithIgnoreCase(s, i, n, p)) {
                return i;
            }
        }
        return -1;
    }

    private static byte lower(final byte c) {
        return c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
    }

    private static byte[] ascii(final String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
