package io.sigmatch.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The admin plane's bearer tokens, kept hashed in an owner-only file. A token is 32 random bytes
 * from {@link SecureRandom} (256 bits: no dictionary or brute force reaches it, so a plain SHA-256
 * is enough — a slow password hash protects low-entropy secrets, which these are not), shown once
 * when issued and never stored. The file holds one line per token:
 *
 * <pre>
 *   # id role sha256(token) in hex
 *   platform-1 platform 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 * </pre>
 *
 * <p>A presented token is hashed and compared with every entry in constant time
 * ({@link MessageDigest#isEqual}), without stopping at the first match, so response timing says
 * nothing about which bytes or which entry came close. A file readable by group or others is
 * refused at load: a leaked hash list is not a secret any more.
 */
public final class TokenStore {
    /** Token ids name the caller in the audit log: short, no spaces. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    private static final String PREFIX = "smt_";
    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One token as stored: its id, role and hash. */
    public record Entry(String id, Role role, byte[] sha256) {
    }

    private final Path file;
    private volatile List<Entry> entries;

    private TokenStore(final Path file, final List<Entry> entries) {
        this.file = file;
        this.entries = List.copyOf(entries);
    }

    /** Loads the token file; an absent file is an empty store (no token authenticates). */
    public static TokenStore load(final Path file) throws IOException {
        final List<Entry> entries = new ArrayList<>();
        if (Files.exists(file)) {
            if (OwnerOnlyFiles.widerThanOwner(file)) {
                throw new IOException(file + ": token file must be owner-only (chmod 600)");
            }
            final List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            for (int i = 0; i < lines.size(); i++) {
                final String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                final String[] f = line.split("\\s+");
                final Role role = f.length == 3 ? Role.byName(f[1]) : null;
                if (f.length != 3 || !ID.matcher(f[0]).matches() || role == null || !f[2].matches("[0-9a-f]{64}")) {
                    throw new IOException(file + " line " + (i + 1) + ": expected '<id> <ops|platform|admin> <sha256 hex>'");
                }
                for (final Entry e : entries) {
                    if (e.id().equals(f[0])) {
                        throw new IOException(file + " line " + (i + 1) + ": duplicate token id " + f[0]);
                    }
                }
                entries.add(new Entry(f[0], role, HexFormat.of().parseHex(f[2])));
            }
        }
        return new TokenStore(file, entries);
    }

    /** A fresh high-entropy token: {@code smt_} and 43 base64url characters. */
    public static String newToken() {
        final byte[] b = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(b);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] sha256(final String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The entry the token belongs to, or null. Constant time in the token and over all entries. */
    public Entry authenticate(final String token) {
        if (token == null || token.isEmpty() || token.length() > 256) {
            return null;
        }
        final byte[] hash = sha256(token);
        Entry found = null;
        for (final Entry e : entries) {
            if (MessageDigest.isEqual(hash, e.sha256()) & found == null) {
                found = e;
            }
        }
        return found;
    }

    /** Issues a new token for id with a role, persists its hash, and returns the token (shown once). */
    public synchronized String issue(final String id, final Role role) throws IOException {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("token id must be 1 to 64 letters, digits or _.@-");
        }
        for (final Entry e : entries) {
            if (e.id().equals(id)) {
                throw new IllegalArgumentException("a token with id " + id + " exists; revoke it first");
            }
        }
        final String token = newToken();
        final List<Entry> next = new ArrayList<>(entries);
        next.add(new Entry(id, role, sha256(token)));
        save(next);
        return token;
    }

    /** Removes the token with this id; false when there is none. */
    public synchronized boolean revoke(final String id) throws IOException {
        final List<Entry> next = new ArrayList<>(entries);
        if (!next.removeIf(e -> e.id().equals(id))) {
            return false;
        }
        save(next);
        return true;
    }

    /** Ids and roles, never hashes. */
    public List<Entry> entries() {
        return entries;
    }

    private void save(final List<Entry> next) throws IOException {
        final StringBuilder sb = new StringBuilder("# sigmatch admin tokens: id role sha256(token)\n");
        for (final Entry e : next) {
            sb.append(e.id()).append(' ').append(e.role().jsonName()).append(' ')
                .append(HexFormat.of().formatHex(e.sha256())).append('\n');
        }
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            OwnerOnlyFiles.createDirectories(parent);
        }
        OwnerOnlyFiles.writeAtomically(file, sb.toString().getBytes(StandardCharsets.US_ASCII));
        entries = List.copyOf(next);
    }
}
