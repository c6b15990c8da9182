package io.sigmatch.matcher.rules;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sigmatch.decoder.Digits;

/**
 * MSISDN prefix to home region (DESIGN §13 {@code home.regionsFile}): CSV {@code prefix,region} over
 * prefixes in international form, the longest prefix wins. Held as one sorted array of packed prefixes
 * per prefix length, so a lookup is at most {@link Digits#MAX_DIGITS} binary searches and allocates
 * nothing. A region is known by its index in {@link #regionName}.
 */
public final class RegionTable {
    /** No prefix covers the number: its region is unknown (DESIGN §13: then not a province roamer). */
    public static final int UNKNOWN = -1;

    private final String[] regions;
    /** prefixes[length] sorted, regionOf[length][i] the region of prefixes[length][i]. */
    private final long[][] prefixes = new long[Digits.MAX_DIGITS + 1][];
    private final int[][] regionOf = new int[Digits.MAX_DIGITS + 1][];

    private RegionTable(final String[] regions, final List<List<long[]>> byLength) {
        this.regions = regions;
        for (int l = 0; l <= Digits.MAX_DIGITS; l++) {
            final List<long[]> entries = byLength.get(l);
            entries.sort((a, b) -> Long.compare(a[0], b[0]));
            prefixes[l] = new long[entries.size()];
            regionOf[l] = new int[entries.size()];
            for (int i = 0; i < entries.size(); i++) {
                prefixes[l][i] = entries.get(i)[0];
                regionOf[l][i] = (int) entries.get(i)[1];
            }
        }
    }

    /** No prefixes: every region unknown. */
    public static RegionTable empty() {
        return build(new String[0], new long[0], new int[0]);
    }

    static RegionTable build(final String[] regionNames, final long[] packedPrefixes, final int[] regionIndex) {
        final List<List<long[]>> byLength = new ArrayList<>();
        for (int l = 0; l <= Digits.MAX_DIGITS; l++) {
            byLength.add(new ArrayList<>());
        }
        for (int i = 0; i < packedPrefixes.length; i++) {
            byLength.get(Digits.length(packedPrefixes[i])).add(new long[] {packedPrefixes[i], regionIndex[i]});
        }
        return new RegionTable(regionNames, byLength);
    }

    /**
     * Reads a regions file; a duplicate prefix, a bad line or a missing header refuses it with
     * "line N: reason" (the caller adds the file name).
     */
    static RegionTable load(final Path file) throws IOException, FormatError {
        final Map<String, Integer> names = new LinkedHashMap<>();
        final List<Long> prefixList = new ArrayList<>();
        final List<Integer> regionList = new ArrayList<>();
        final java.util.Set<Long> seen = new java.util.HashSet<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            boolean header = false;
            while ((line = r.readLine()) != null) {
                number++;
                line = line.strip();
                if (number == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (!header) {
                    if (!"prefix,region".equals(line.replace(" ", ""))) {
                        throw new FormatError("line " + number + ": the first line must be the header prefix,region");
                    }
                    header = true;
                    continue;
                }
                final int comma = line.indexOf(',');
                if (comma <= 0 || line.indexOf(',', comma + 1) >= 0) {
                    throw new FormatError("line " + number + ": expected two fields prefix,region");
                }
                String prefix = line.substring(0, comma).strip();
                final String region = line.substring(comma + 1).strip();
                if (prefix.startsWith("+")) {
                    prefix = prefix.substring(1);
                }
                final long packed = Digits.parse(prefix);
                if (packed == Digits.INVALID || packed == Digits.NONE || prefix.isEmpty()) {
                    throw new FormatError("line " + number + ": prefix must be 1 to " + Digits.MAX_DIGITS + " digits");
                }
                if (region.isEmpty() || region.length() > 64) {
                    throw new FormatError("line " + number + ": region must be 1 to 64 characters");
                }
                if (!seen.add(packed)) {
                    throw new FormatError("line " + number + ": prefix " + prefix + " listed twice");
                }
                prefixList.add(packed);
                regionList.add(names.computeIfAbsent(region, k -> names.size()));
            }
            if (!header) {
                throw new FormatError("line 0: empty, no header prefix,region");
            }
        }
        final long[] p = new long[prefixList.size()];
        final int[] g = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = prefixList.get(i);
            g[i] = regionList.get(i);
        }
        return build(names.keySet().toArray(new String[0]), p, g);
    }

    /** A malformed regions file. */
    static final class FormatError extends Exception {
        private static final long serialVersionUID = 1L;

        FormatError(final String message) {
            super(message, null, false, false);
        }
    }

    /** The region of the MSISDN (packed digits) by its longest listed prefix, {@link #UNKNOWN} when none. */
    public int regionOf(final long msisdn) {
        if (msisdn == Digits.NONE || !Digits.isValid(msisdn)) {
            return UNKNOWN;
        }
        for (int l = Math.min(Digits.length(msisdn), Digits.MAX_DIGITS); l >= 1; l--) {
            final long[] p = prefixes[l];
            if (p.length == 0) {
                continue;
            }
            final int at = Arrays.binarySearch(p, Digits.prefix(msisdn, l));
            if (at >= 0) {
                return regionOf[l][at];
            }
        }
        return UNKNOWN;
    }

    /** Index of the named region, {@link #UNKNOWN} when no prefix maps to it. */
    public int indexOf(final String region) {
        for (int i = 0; i < regions.length; i++) {
            if (regions[i].equals(region)) {
                return i;
            }
        }
        return UNKNOWN;
    }

    public String regionName(final int index) {
        return regions[index];
    }

    public int regionCount() {
        return regions.length;
    }
}
