package io.sigmatch.decoder.tshark;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One message as a flat set of named fields with string or integer values: the shape of a
 * {@code sigmatch decode} JSON line (DESIGN §12), and of the expected line a test derives from
 * tshark. {@link #toJson} and {@link #parse} read and write exactly that subset of JSON (one object,
 * string and integer values, no nesting), so fixtures are JSON Lines any tool can read.
 */
public final class FieldRecord {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public FieldRecord put(final String key, final String value) {
        fields.put(key, Objects.requireNonNull(value, key));
        return this;
    }

    public FieldRecord put(final String key, final long value) {
        fields.put(key, value);
        return this;
    }

    public FieldRecord remove(final String key) {
        fields.remove(key);
        return this;
    }

    public boolean has(final String key) {
        return fields.containsKey(key);
    }

    /** A string or a Long, or null when absent. */
    public Object get(final String key) {
        return fields.get(key);
    }

    public long frame() {
        final Object f = fields.get("frame");
        return f instanceof Long ? (Long) f : -1;
    }

    public Map<String, Object> fields() {
        return Collections.unmodifiableMap(fields);
    }

    /** Only the listed keys, in the listed order. */
    public FieldRecord project(final Iterable<String> keys) {
        final FieldRecord r = new FieldRecord();
        for (final String k : keys) {
            final Object v = fields.get(k);
            if (v != null) {
                r.fields.put(k, v);
            }
        }
        return r;
    }

    public String toJson() {
        final StringBuilder sb = new StringBuilder().append('{');
        boolean first = true;
        for (final Map.Entry<String, Object> e : fields.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            string(e.getKey(), sb).append(':');
            if (e.getValue() instanceof Long) {
                sb.append(e.getValue());
            } else {
                string((String) e.getValue(), sb);
            }
        }
        return sb.append('}').toString();
    }

    /** Parses one flat JSON object with string and integer values. */
    public static FieldRecord parse(final String json) {
        final Parser p = new Parser(json);
        final FieldRecord r = new FieldRecord();
        p.skipSpace();
        p.expect('{');
        p.skipSpace();
        if (p.peek() == '}') {
            p.next();
            return r;
        }
        while (true) {
            p.skipSpace();
            final String key = p.string();
            p.skipSpace();
            p.expect(':');
            p.skipSpace();
            if (p.peek() == '"') {
                r.fields.put(key, p.string());
            } else {
                r.fields.put(key, p.integer());
            }
            p.skipSpace();
            final char c = p.next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw p.error("',' or '}'");
            }
        }
        p.skipSpace();
        if (!p.atEnd()) {
            throw p.error("end of line");
        }
        return r;
    }

    private static StringBuilder string(final String s, final StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7F) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"');
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof FieldRecord && ((FieldRecord) o).fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }

    private static final class Parser {
        private final String s;
        private int at;

        Parser(final String s) {
            this.s = s;
        }

        char peek() {
            if (at >= s.length()) {
                throw error("more input");
            }
            return s.charAt(at);
        }

        char next() {
            final char c = peek();
            at++;
            return c;
        }

        boolean atEnd() {
            return at >= s.length();
        }

        void skipSpace() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
        }

        void expect(final char c) {
            if (next() != c) {
                throw error("'" + c + "'");
            }
        }

        String string() {
            expect('"');
            final StringBuilder sb = new StringBuilder();
            while (true) {
                final char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                final char e = next();
                switch (e) {
                    case '"':
                    case '\\':
                    case '/':
                        sb.append(e);
                        break;
                    case 'n':
                        sb.append('\n');
                        break;
                    case 't':
                        sb.append('\t');
                        break;
                    case 'r':
                        sb.append('\r');
                        break;
                    case 'b':
                        sb.append('\b');
                        break;
                    case 'f':
                        sb.append('\f');
                        break;
                    case 'u':
                        sb.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                        at += 4;
                        break;
                    default:
                        throw error("an escape");
                }
            }
        }

        long integer() {
            final int start = at;
            if (peek() == '-') {
                at++;
            }
            while (at < s.length() && Character.isDigit(s.charAt(at))) {
                at++;
            }
            if (start == at) {
                throw error("a string or an integer");
            }
            return Long.parseLong(s.substring(start, at));
        }

        IllegalArgumentException error(final String wanted) {
            return new IllegalArgumentException("expected " + wanted + " at " + at + " in " + s);
        }
    }
}
