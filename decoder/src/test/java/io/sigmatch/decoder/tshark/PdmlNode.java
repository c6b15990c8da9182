package io.sigmatch.decoder.tshark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * One node of tshark's packet tree as PDML gives it: a protocol ({@code <proto>}) or a field
 * ({@code <field>}), with its children in display order. Unlike {@code -T fields}, which flattens
 * every occurrence of a field into one list, the tree keeps which IE, which instance, which
 * grouped IE and which piggybacked message a value belongs to.
 *
 * <p>{@code name} is the display-filter name ("gtpv2.ie_type", "e212.imsi"); subtrees without a
 * field of their own ("User Location Info (ULI) : TAI ECGI") have an empty name. {@code show} is
 * the value as tshark displays it, {@code value} the raw bytes in hex.
 */
public final class PdmlNode {
    private final String name;
    private final String show;
    private final String showname;
    private final String value;
    private final List<PdmlNode> children = new ArrayList<>();

    PdmlNode(final String name, final String show, final String showname, final String value) {
        this.name = name == null ? "" : name;
        this.show = show == null ? "" : show;
        this.showname = showname == null ? "" : showname;
        this.value = value == null ? "" : value;
    }

    void add(final PdmlNode child) {
        children.add(child);
    }

    public String name() {
        return name;
    }

    public String show() {
        return show;
    }

    public String showname() {
        return showname;
    }

    public String value() {
        return value;
    }

    public List<PdmlNode> children() {
        return Collections.unmodifiableList(children);
    }

    /** The first direct child with this field name, or null. */
    public PdmlNode child(final String field) {
        for (final PdmlNode c : children) {
            if (c.name.equals(field)) {
                return c;
            }
        }
        return null;
    }

    /** The {@code show} of the first direct child with this field name, or null. */
    public String childShow(final String field) {
        final PdmlNode c = child(field);
        return c == null ? null : c.show;
    }

    /** Direct children that satisfy the test, in order. */
    public List<PdmlNode> children(final Predicate<PdmlNode> test) {
        final List<PdmlNode> out = new ArrayList<>();
        for (final PdmlNode c : children) {
            if (test.test(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Every node below this one with this field name, depth first in display order. */
    public List<PdmlNode> descendants(final String field) {
        final List<PdmlNode> out = new ArrayList<>();
        collect(field, out);
        return out;
    }

    /** The first node below this one with this field name, or null. */
    public PdmlNode first(final String field) {
        for (final PdmlNode c : children) {
            if (c.name.equals(field)) {
                return c;
            }
            final PdmlNode below = c.first(field);
            if (below != null) {
                return below;
            }
        }
        return null;
    }

    /** The {@code show} of {@link #first}, or null. */
    public String firstShow(final String field) {
        final PdmlNode f = first(field);
        return f == null ? null : f.show;
    }

    private void collect(final String field, final List<PdmlNode> out) {
        for (final PdmlNode c : children) {
            if (c.name.equals(field)) {
                out.add(c);
            }
            c.collect(field, out);
        }
    }

    /**
     * A displayed number as a long: decimal ("11800") or hexadecimal ("0x2e18"), which is how tshark
     * shows BASE_DEC and BASE_HEX fields.
     */
    public static long number(final String shown) {
        final String s = shown.trim();
        if (s.startsWith("0x") || s.startsWith("0X")) {
            return Long.parseUnsignedLong(s.substring(2), 16);
        }
        return Long.parseLong(s);
    }

    @Override
    public String toString() {
        return name.isEmpty() ? show : name + "=" + show;
    }
}
