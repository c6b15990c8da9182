package io.sigmatch.admin;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.sigmatch.admin.SnapshotStore.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests. Routes, and the least role each needs (roles nest, {@link Role}):
 *
 * <table>
 *   <tr><th>method and path</th><th>role</th><th>what</th></tr>
 *   <tr><td>GET /health</td><td>none</td><td>liveness: the process answers</td></tr>
 *   <tr><td>GET /status</td><td>none</td><td>the status page's HTML shell: no figures in it; it asks for a token and reads /status.json</td></tr>
 *   <tr><td>GET /health/ready</td><td>ops</td><td>readiness: 200 when the pipeline serves a rule set, 503 otherwise</td></tr>
 *   <tr><td>GET /metrics</td><td>ops</td><td>Prometheus text ({@link PrometheusText})</td></tr>
 *   <tr><td>GET /status.json</td><td>ops</td><td>the status page's figures ({@link StatusJson})</td></tr>
 *   <tr><td>GET /snapshots, GET /snapshots/{v}</td><td>platform</td><td>versions with state, files and checksums</td></tr>
 *   <tr><td>PUT /snapshots/{v}/rules</td><td>platform</td><td>the rule document (DESIGN §13), at most maxJsonBodyBytes</td></tr>
 *   <tr><td>PUT /snapshots/{v}/lists/{file}, /areas/{file}</td><td>platform</td><td>streamed to disk; Content-Encoding: gzip is undone on the way</td></tr>
 *   <tr><td>POST /snapshots/{v}/activate</td><td>platform</td><td>validate fully, then swap atomically</td></tr>
 *   <tr><td>POST /snapshots/{v}/rollback, POST /snapshots/rollback</td><td>admin</td><td>back to a version that was active (default: the previous)</td></tr>
 *   <tr><td>GET /tokens, POST /tokens, DELETE /tokens/{id}</td><td>admin</td><td>token management (a new token is shown once)</td></tr>
 *   <tr><td>GET /audit</td><td>admin</td><td>the audit trail's last MiB</td></tr>
 *   <tr><td>POST /outcomes</td><td>platform</td><td>delivered / converted per match id, JSON Lines ({@link Outcomes})</td></tr>
 * </table>
 *
 * <p>401 without a token or with a bad one (with {@code WWW-Authenticate: Bearer}), 403 for a role
 * too small, 429 past the caller's rate, 413/414/431 past the size limits. Errors are JSON
 * {@code {"error": ..., "file": ..., "line": ..., "path": ...}}. Tokens and identities are never
 * logged; a request is logged at debug with the token's id.
 */
final class AdminHandler extends SimpleChannelInboundHandler<HttpObject> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AttributeKey<String> ENCODING = AttributeKey.valueOf("sigmatch.contentEncoding");
    private static final int MAX_TOKEN_REQUEST_BYTES = 4096;
    private static final int AUDIT_TAIL_BYTES = 1 << 20;

    /** The CRC-32 and ISIZE of a gzip-encoded request body's trailer (its last 8 bytes), at its end. */
    private static final AttributeKey<long[]> GZIP_TRAILER = AttributeKey.valueOf("sigmatch.gzipTrailer");

    /**
     * Notes the request's Content-Encoding before the decompressor removes it, and the last 8 bytes
     * of a gzip body: its trailer when the body is whole. Netty's decompressor passes on whatever a
     * truncated stream inflates to and says nothing, so a cut transfer would be stored as a shorter
     * file (found by issue 11's bad-request test); the handler compares the trailer with the CRC-32
     * and length of what it inflated.
     */
    static final class EncodingNote extends ChannelInboundHandlerAdapter {
        private final byte[] tail = new byte[8];
        private long compressed = -1;

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            if (msg instanceof HttpRequest r) {
                final String enc = r.headers().get(HttpHeaderNames.CONTENT_ENCODING);
                final String e = enc == null ? null : enc.trim().toLowerCase(java.util.Locale.ROOT);
                ctx.channel().attr(ENCODING).set(e);
                ctx.channel().attr(GZIP_TRAILER).set(null);
                compressed = "gzip".equals(e) || "x-gzip".equals(e) ? 0 : -1;
            }
            if (msg instanceof HttpContent c && compressed >= 0) {
                final ByteBuf b = c.content();
                for (int i = b.readerIndex(); i < b.writerIndex(); i++) {
                    tail[(int) (compressed++ & 7)] = b.getByte(i);
                }
                if (c instanceof LastHttpContent) {
                    long crc = 0;
                    long size = 0;
                    for (int i = 0; i < 4; i++) {
                        crc |= (tail[(int) ((compressed - 8 + i) & 7)] & 0xFFL) << (8 * i);
                        size |= (tail[(int) ((compressed - 4 + i) & 7)] & 0xFFL) << (8 * i);
                    }
                    // RFC 1952 2.3.1: CRC32 then ISIZE, little-endian; a member is at least 18 bytes
                    ctx.channel().attr(GZIP_TRAILER).set(compressed >= 18 ? new long[] {crc, size} : new long[] {-1, -1});
                    compressed = -1;
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    private enum Route {
        HEALTH(null), STATUS_PAGE(null), READY(Role.OPS), METRICS(Role.OPS), STATUS_JSON(Role.OPS),
        SNAPSHOTS(Role.PLATFORM), SNAPSHOT(Role.PLATFORM), PUT_RULES(Role.PLATFORM), PUT_LIST(Role.PLATFORM),
        PUT_AREA(Role.PLATFORM), ACTIVATE(Role.PLATFORM), ROLLBACK(Role.ADMIN), TOKENS(Role.ADMIN),
        ISSUE_TOKEN(Role.ADMIN), REVOKE_TOKEN(Role.ADMIN), AUDIT(Role.ADMIN), MATCHES(Role.PLATFORM),
        OUTCOMES(Role.PLATFORM);

        final Role role;

        Route(final Role role) {
            this.role = role;
        }
    }

    private final AdminServer server;
    // the request in progress
    private HttpRequest request;
    private Route route;
    private String[] params;
    private String who;
    private boolean keepAlive;
    private SnapshotStore.Upload upload;
    /** CRC-32 and length of the upload as inflated, checked against a gzip body's trailer. */
    private final java.util.zip.CRC32 inflatedCrc = new java.util.zip.CRC32();
    private long inflatedBytes;
    private CompositeByteBuf body;
    private int bodyLimit;
    private boolean discard;

    AdminHandler(final AdminServer server) {
        this.server = server;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final HttpObject msg) throws Exception {
        if (msg instanceof HttpRequest r) {
            if (r.decoderResult().isFailure()) {
                final Throwable cause = r.decoderResult().cause();
                final int status = cause instanceof TooLongHttpLineException ? 414
                    : cause instanceof TooLongHttpHeaderException ? 431 : 400;
                discard = true;
                respondAndClose(ctx, status, error(status == 400 ? "bad request" : "request line or headers too long"));
                return;
            }
            inflatedCrc.reset();
            inflatedBytes = 0;
            begin(ctx, r);
        }
        if (msg instanceof HttpContent c && !discard) {
            final ByteBuf content = c.content();
            if (upload != null && content.isReadable()) {
                inflatedCrc.update(content.nioBuffer());
                inflatedBytes += content.readableBytes();
                if (!upload.write(content)) {
                    upload.abort();
                    upload = null;
                    discard = true;
                    respondAndClose(ctx, 413, error("upload larger than the admin plane accepts for this file"));
                    return;
                }
            } else if (body != null && content.isReadable()) {
                if (body.readableBytes() + content.readableBytes() > bodyLimit) {
                    releaseBody();
                    discard = true;
                    respondAndClose(ctx, 413, error("body larger than " + bodyLimit + " bytes"));
                    return;
                }
                body.addComponent(true, content.retain());
            }
            if (c instanceof LastHttpContent) {
                complete(ctx);
            }
        } else if (msg instanceof LastHttpContent && discard) {
            discard = false;
        }
    }

    private void begin(final ChannelHandlerContext ctx, final HttpRequest r) throws IOException {
        request = r;
        keepAlive = HttpUtil.isKeepAlive(r);
        discard = false;
        who = null;
        final String path = new QueryStringDecoder(r.uri()).path();
        route = route(r.method(), path);
        if (route == null) {
            early(ctx, response(404, error("no such endpoint: " + r.method() + " " + path)));
            return;
        }
        // authenticate (a bad token costs the caller's address a request, so guessing is rate-limited too)
        final TokenStore.Entry entry = server.tokens.authenticate(bearer(r));
        final String key = entry != null ? "token:" + entry.id() : "addr:" + remote(ctx);
        if (!server.limiter.tryAcquire(key)) {
            final FullHttpResponse resp = response(429, error("too many requests"));
            resp.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            early(ctx, resp);
            return;
        }
        if (route.role != null) {
            if (entry == null) {
                final FullHttpResponse resp = response(401, error(bearer(r) == null ? "a bearer token is required"
                    : "the bearer token is not valid"));
                resp.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"sigmatch\"");
                early(ctx, resp);
                return;
            }
            if (!entry.role().includes(route.role)) {
                early(ctx, response(403, error("this needs the " + route.role.jsonName() + " role; the token has "
                    + entry.role().jsonName())));
                return;
            }
            who = entry.id();
        }
        if (server.snapshots == null && (route.role == Role.PLATFORM && route != Route.MATCHES && route != Route.OUTCOMES
            || route == Route.ROLLBACK)) {
            early(ctx, response(404, error("this appliance has no snapshot store")));
            return;
        }
        LOG.debug("{} {} by {}", r.method(), path, who);
        try {
            switch (route) {
                case PUT_RULES -> upload = server.snapshots.begin(params[0], Kind.RULES, null, server.config.maxJsonBodyBytes());
                case PUT_LIST, PUT_AREA -> {
                    final String name = params[1];
                    if (name.endsWith(".gz") && "gzip".equals(ctx.channel().attr(ENCODING).get())) {
                        throw new AdminException(400, name + ": a .gz file is stored as sent; send it without "
                            + "Content-Encoding: gzip, or name it without .gz");
                    }
                    upload = server.snapshots.begin(params[0], route == Route.PUT_LIST ? Kind.LIST : Kind.AREA, name,
                        server.config.maxUploadBytes());
                }
                case ISSUE_TOKEN -> {
                    body = ctx.alloc().compositeBuffer();
                    bodyLimit = MAX_TOKEN_REQUEST_BYTES;
                }
                case OUTCOMES -> {
                    if (server.outcomes() == null) {
                        throw new AdminException(404, "this appliance records no outcomes");
                    }
                    if (HttpUtil.getContentLength(r, -1L) > server.config.maxJsonBodyBytes()) {
                        throw new AdminException(413, "body larger than " + server.config.maxJsonBodyBytes() + " bytes");
                    }
                    body = ctx.alloc().compositeBuffer();
                    bodyLimit = server.config.maxJsonBodyBytes();
                }
                default -> {
                    // no body expected: whatever comes is ignored
                }
            }
        } catch (final AdminException e) {
            early(ctx, response(e.status(), error(e)));
            return;
        }
        if (upload != null && HttpUtil.getContentLength(r, -1L) > (route == Route.PUT_RULES
            ? server.config.maxJsonBodyBytes() : server.config.maxUploadBytes())) {
            upload.abort();
            upload = null;
            discard = true;
            respondAndClose(ctx, 413, error("Content-Length larger than the admin plane accepts for this file"));
        }
    }

    private void complete(final ChannelHandlerContext ctx) throws Exception {
        final Route r = route;
        route = null;
        if (r == null) {
            return;
        }
        switch (r) {
            case HEALTH -> reply(ctx, 200, json(JSON.createObjectNode().put("status", "up")));
            case STATUS_PAGE -> {
                final FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(server.statusPage));
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
                // inline script and style only, data only from this origin
                resp.headers().set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; "
                    + "style-src 'unsafe-inline'; connect-src 'self'; img-src data:; form-action 'none'; frame-ancestors 'none'");
                send(ctx, resp);
            }
            case READY -> {
                final boolean ok = server.ready.getAsBoolean();
                reply(ctx, ok ? 200 : 503, json(JSON.createObjectNode().put("status", ok ? "ready" : "not ready")
                    .put("serving", server.snapshots == null ? null : server.snapshots.servingVersion())));
            }
            case METRICS -> {
                final FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(AdminServer.utf8(PrometheusText.render(server.telemetry, server.snapshots,
                        server.stats))));
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, PrometheusText.CONTENT_TYPE);
                send(ctx, resp);
            }
            case STATUS_JSON -> reply(ctx, 200, StatusJson.render(server.telemetry, server.snapshots));
            case SNAPSHOTS -> {
                final ObjectNode out = JSON.createObjectNode();
                out.put("active", server.snapshots.activeVersion());
                out.put("previous", server.snapshots.previousVersion());
                out.put("serving", server.snapshots.servingVersion());
                final ArrayNode vs = out.putArray("versions");
                for (final SnapshotStore.VersionInfo v : server.snapshots.versions()) {
                    vs.add(versionJson(v));
                }
                reply(ctx, 200, json(out));
            }
            case SNAPSHOT -> {
                try {
                    reply(ctx, 200, json(versionJson(server.snapshots.inspect(params[0]))));
                } catch (final AdminException e) {
                    reply(ctx, e.status(), error(e));
                }
            }
            case PUT_RULES, PUT_LIST, PUT_AREA -> {
                final SnapshotStore.Upload u = upload;
                upload = null;
                if (u == null) {
                    return;
                }
                final long[] trailer = ctx.channel().attr(GZIP_TRAILER).get();
                if (trailer != null && (trailer[0] != inflatedCrc.getValue() || trailer[1] != (inflatedBytes & 0xFFFF_FFFFL))) {
                    u.abort();
                    reply(ctx, 400, error("the gzip body ends before the end of its gzip stream (a truncated upload); "
                        + "nothing was stored"));
                    return;
                }
                final String by = who;
                blocking(ctx, () -> {
                    final SnapshotStore.FileInfo f = u.finish(by);
                    return response(201, json(JSON.createObjectNode().put("version", params[0]).put("file", f.name() == null
                        ? SnapshotStore.RULES_FILE : f.name()).put("kind", f.kind().jsonName()).put("bytes", f.bytes())
                        .put("sha256", f.sha256())));
                });
            }
            case ACTIVATE, ROLLBACK -> {
                final String version = params.length > 0 ? params[0] : null;
                final String by = who;
                blocking(ctx, () -> {
                    final SnapshotStore.Activation a = r == Route.ACTIVATE ? server.snapshots.activate(version, by)
                        : server.snapshots.rollback(version, by);
                    return response(200, json(JSON.createObjectNode().put("active", a.version()).put("previous", a.previous())
                        .put("sha256", a.sha256()).put("loadMs", a.loadNanos() / 1e6).put("swapUs", a.swapNanos() / 1e3)));
                });
            }
            case TOKENS -> {
                final ArrayNode out = JSON.createArrayNode();
                for (final TokenStore.Entry e : server.tokens.entries()) {
                    out.addObject().put("id", e.id()).put("role", e.role().jsonName());
                }
                reply(ctx, 200, json(out));
            }
            case ISSUE_TOKEN -> {
                final byte[] bytes = new byte[body.readableBytes()];
                body.readBytes(bytes);
                releaseBody();
                final String by = who;
                blocking(ctx, () -> {
                    final JsonNode req;
                    try {
                        req = JSON.readTree(bytes);
                    } catch (final IOException e) {
                        throw new AdminException(400, "expected {\"id\": ..., \"role\": \"ops|platform|admin\"}");
                    }
                    final Role role = req == null ? null : Role.byName(req.path("role").asText());
                    if (role == null || !req.path("id").isTextual()) {
                        throw new AdminException(400, "expected {\"id\": ..., \"role\": \"ops|platform|admin\"}");
                    }
                    final String id = req.path("id").asText();
                    final String token;
                    try {
                        token = server.tokens.issue(id, role);
                    } catch (final IllegalArgumentException e) {
                        throw new AdminException(409, e.getMessage());
                    }
                    server.audit.record(by, "token.issue", null, null, id + " as " + role.jsonName());
                    return response(201, json(JSON.createObjectNode().put("id", id).put("role", role.jsonName())
                        .put("token", token)));
                });
            }
            case REVOKE_TOKEN -> {
                final String id = params[0];
                final String by = who;
                blocking(ctx, () -> {
                    if (!server.tokens.revoke(id)) {
                        throw new AdminException(404, "no token with id " + id);
                    }
                    server.audit.record(by, "token.revoke", null, null, id);
                    return response(200, json(JSON.createObjectNode().put("revoked", id)));
                });
            }
            case AUDIT -> blocking(ctx, () -> {
                final byte[] tail;
                try (RandomAccessFile f = new RandomAccessFile(server.audit.file().toFile(), "r")) {
                    final long len = f.length();
                    final long from = Math.max(0, len - AUDIT_TAIL_BYTES);
                    tail = new byte[(int) (len - from)];
                    f.seek(from);
                    f.readFully(tail);
                }
                final FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(tail));
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson");
                return resp;
            });
            case MATCHES -> tail(ctx);
            case OUTCOMES -> {
                final byte[] bytes = new byte[body.readableBytes()];
                body.readBytes(bytes);
                releaseBody();
                blocking(ctx, () -> {
                    final Outcomes.Result res = server.outcomes().record(bytes);
                    return response(res.status(), json(res.body()));
                });
            }
            default -> reply(ctx, 500, error("unrouted"));
        }
    }

    /**
     * {@code GET /matches[?after=INDEX|end][&rule=ID]} with {@code Last-Event-ID} taking precedence:
     * an SSE stream of journaled matches after the client's last one ({@link MatchTail}).
     */
    private void tail(final ChannelHandlerContext ctx) {
        final java.nio.file.Path dir = server.matchJournal();
        if (dir == null) {
            reply(ctx, 404, error("this appliance serves no match journal"));
            return;
        }
        final QueryStringDecoder q = new QueryStringDecoder(request.uri());
        final String last = request.headers().get("Last-Event-ID");
        final String afterParam = last != null ? last : q.parameters().containsKey("after")
            ? q.parameters().get("after").get(0) : null;
        final long after;
        if (afterParam == null || afterParam.equals("start")) {
            after = -1;
        } else if (afterParam.equals("end")) {
            after = Long.MAX_VALUE;
        } else {
            try {
                after = Long.parseLong(afterParam.trim());
            } catch (final NumberFormatException e) {
                reply(ctx, 400, error("after (or Last-Event-ID) must be a journal index, start or end"));
                return;
            }
        }
        final String rule = q.parameters().containsKey("rule") ? q.parameters().get("rule").get(0) : null;
        final io.netty.handler.codec.http.HttpResponse head = new io.netty.handler.codec.http.DefaultHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        head.headers().set("X-Content-Type-Options", "nosniff");
        HttpUtil.setTransferEncodingChunked(head, true);
        HttpUtil.setKeepAlive(head, false);
        if (!server.tail(new MatchTail(server, ctx.channel(), dir, after, rule))) {
            reply(ctx, 503, error("too many match tails open (" + AdminServer.MAX_TAILS + ")"));
            return;
        }
        server.stats.response(200);
        // the tail thread writes after this; Netty orders writes from any thread through the event loop
        ctx.writeAndFlush(head);
    }

    /** Work that may block (fsync, validation, token file) runs on the work thread; reading pauses meanwhile. */
    private interface Blocking {
        FullHttpResponse run() throws Exception;
    }

    private void blocking(final ChannelHandlerContext ctx, final Blocking task) {
        ctx.channel().config().setAutoRead(false);
        final boolean ka = keepAlive;
        final boolean queued = server.submit(() -> {
            FullHttpResponse resp;
            try {
                resp = task.run();
            } catch (final AdminException e) {
                resp = response(e.status(), error(e));
            } catch (final Exception | Error e) {
                LOG.warn("admin request failed: {}", e.toString());
                resp = response(500, error("internal error: " + e.getClass().getSimpleName()));
            }
            final FullHttpResponse r = resp;
            ctx.channel().eventLoop().execute(() -> {
                keepAlive = ka;
                send(ctx, r);
                ctx.channel().config().setAutoRead(true);
            });
        });
        if (!queued) {
            ctx.channel().config().setAutoRead(true);
            reply(ctx, 503, error("the admin plane is busy; retry later"));
        }
    }

    private Route route(final HttpMethod m, final String path) {
        final String[] p = path.length() > 1 ? path.substring(1).split("/", -1) : new String[0];
        params = new String[0];
        final boolean get = m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD);
        if (p.length == 1) {
            switch (p[0]) {
                case "health": return get ? Route.HEALTH : null;
                case "metrics": return get ? Route.METRICS : null;
                case "status": return get ? Route.STATUS_PAGE : null;
                case "status.json": return get ? Route.STATUS_JSON : null;
                case "snapshots": return get ? Route.SNAPSHOTS : null;
                case "tokens": return get ? Route.TOKENS : m.equals(HttpMethod.POST) ? Route.ISSUE_TOKEN : null;
                case "audit": return get ? Route.AUDIT : null;
                case "matches": return get ? Route.MATCHES : null;
                case "outcomes": return m.equals(HttpMethod.POST) ? Route.OUTCOMES : null;
                default: return null;
            }
        }
        if (p.length == 2 && p[0].equals("health") && p[1].equals("ready")) {
            return get ? Route.READY : null;
        }
        if (p.length == 2 && p[0].equals("tokens")) {
            params = new String[] {p[1]};
            return m.equals(HttpMethod.DELETE) ? Route.REVOKE_TOKEN : null;
        }
        if (p.length >= 2 && p[0].equals("snapshots")) {
            if (p.length == 2) {
                if (p[1].equals("rollback")) {
                    return m.equals(HttpMethod.POST) ? Route.ROLLBACK : null;
                }
                params = new String[] {p[1]};
                return get ? Route.SNAPSHOT : null;
            }
            if (p.length == 3) {
                params = new String[] {p[1]};
                switch (p[2]) {
                    case "rules": return m.equals(HttpMethod.PUT) ? Route.PUT_RULES : null;
                    case "activate": return m.equals(HttpMethod.POST) ? Route.ACTIVATE : null;
                    case "rollback": return m.equals(HttpMethod.POST) ? Route.ROLLBACK : null;
                    default: return null;
                }
            }
            if (p.length == 4 && (p[2].equals("lists") || p[2].equals("areas"))) {
                params = new String[] {p[1], p[3]};
                return m.equals(HttpMethod.PUT) ? (p[2].equals("lists") ? Route.PUT_LIST : Route.PUT_AREA) : null;
            }
        }
        return null;
    }

    private static String bearer(final HttpRequest r) {
        final String h = r.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (h == null || h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return h.substring(7).trim();
    }

    private static String remote(final ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "?";
    }

    private static ObjectNode versionJson(final SnapshotStore.VersionInfo v) {
        final ObjectNode n = JSON.createObjectNode();
        n.put("version", v.version()).put("state", v.state()).put("sha256", v.sha256());
        if (v.lastError() != null) {
            n.put("lastError", v.lastError());
        }
        final ArrayNode files = n.putArray("files");
        for (final SnapshotStore.FileInfo f : v.files()) {
            files.addObject().put("name", f.kind() == Kind.AREA ? "areas/" + f.name()
                : f.kind() == Kind.RULES ? SnapshotStore.RULES_FILE : f.name())
                .put("kind", f.kind().jsonName()).put("bytes", f.bytes()).put("sha256", f.sha256());
        }
        return n;
    }

    private static byte[] json(final JsonNode n) throws IOException {
        return JSON.writeValueAsBytes(n);
    }

    private static byte[] error(final String message) {
        try {
            return JSON.writeValueAsBytes(JSON.createObjectNode().put("error", message));
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] error(final AdminException e) {
        final ObjectNode n = JSON.createObjectNode().put("error", e.getMessage());
        if (e.file() != null) {
            n.put("file", e.file());
        }
        if (e.line() > 0) {
            n.put("line", e.line());
        }
        if (e.path() != null && !e.path().isEmpty()) {
            n.put("path", e.path());
        }
        try {
            return JSON.writeValueAsBytes(n);
        } catch (final IOException x) {
            throw new IllegalStateException(x);
        }
    }

    private static FullHttpResponse response(final int status, final byte[] json) {
        final FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
            Unpooled.wrappedBuffer(json));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return resp;
    }

    private void reply(final ChannelHandlerContext ctx, final int status, final byte[] json) {
        send(ctx, response(status, json));
    }

    private void send(final ChannelHandlerContext ctx, final FullHttpResponse resp) {
        resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
        resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        resp.headers().set("X-Content-Type-Options", "nosniff");
        resp.headers().set("Referrer-Policy", "no-referrer");
        server.stats.response(resp.status().code());
        HttpUtil.setKeepAlive(resp, keepAlive);
        if (request != null && request.method().equals(HttpMethod.HEAD)) {
            resp.content().clear();
        }
        final var f = ctx.writeAndFlush(resp);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Answers before the body has been read (refused, unauthenticated, unknown): the rest of the
     * request is not processed, and when a body would follow the connection is closed after the
     * answer rather than reading what nobody asked for.
     */
    private void early(final ChannelHandlerContext ctx, final FullHttpResponse resp) {
        route = null;
        discard = true;
        if (HttpUtil.getContentLength(request, 0L) > 0 || HttpUtil.isTransferEncodingChunked(request)) {
            keepAlive = false;
        }
        send(ctx, resp);
    }

    private void respondAndClose(final ChannelHandlerContext ctx, final int status, final byte[] json) {
        keepAlive = false;
        route = null;
        reply(ctx, status, json);
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception {
        if (upload != null) {
            upload.abort();
            upload = null;
        }
        releaseBody();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        if (upload != null) {
            upload.abort();
            upload = null;
        }
        releaseBody();
        if (ctx.channel().isActive()) {
            final int status = cause instanceof TooLongFrameException ? 413 : 400;
            LOG.debug("admin connection error: {}", cause.toString());
            discard = true;
            respondAndClose(ctx, status, error(cause instanceof IOException ? "connection error" : "bad request: "
                + cause.getClass().getSimpleName()));
        }
    }

}
