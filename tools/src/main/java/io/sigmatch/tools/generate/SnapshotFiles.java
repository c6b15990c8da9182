package io.sigmatch.tools.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The rule snapshot (DESIGN §13) and the files it names: target lists (gold.txt.gz, dnd.txt,
 * vip-imsi.txt, tac-old4g.txt), area CSVs, the MSISDN regions CSV; plus cells.csv, the whole cell
 * map. List membership is a function of the subscriber number, so the oracle asks the same function
 * the list files were written from.
 */
final class SnapshotFiles implements Oracle.Snapshot {
    enum Mode { BASIC, FULL }

    static final String TIMEZONE = "Asia/Shanghai";
    static final String SNAPSHOT = "rules.json";

    private final Population population;
    private final CellMap cells;
    private final Mode mode;
    private final long startNs;
    private final long endNs;
    private final List<RuleDef> rules = new ArrayList<>();
    private RuleDef.Cap globalCap;
    private final Map<String, String> listKinds = new LinkedHashMap<>();
    private final Map<String, String> listFiles = new LinkedHashMap<>();

    SnapshotFiles(final Population population, final CellMap cells, final Mode mode, final long startNs,
        final long endNs) {
        this.population = population;
        this.cells = cells;
        this.mode = mode;
        this.startNs = startNs;
        this.endNs = endNs;
        list("gold", "msisdn", "gold.txt.gz");
        list("dnd", "msisdn", "dnd.txt");
        list("vip", "imsi", "vip-imsi.txt");
        list("old4g", "tac", "tac-old4g.txt");
        defineRules();
    }

    private void list(final String name, final String kind, final String file) {
        listKinds.put(name, kind);
        listFiles.put(name, file);
    }

    List<RuleDef> rules() {
        return rules;
    }

    RuleDef.Cap globalCap() {
        return globalCap;
    }

    // ---- membership ------------------------------------------------------------------------------

    private boolean member(final String list, final int subscriber) {
        final long h = population.hash(subscriber, 20 + list.hashCode());
        final int p = (int) Long.remainderUnsigned(h, 100);
        switch (list) {
            case "gold":
                return p < 40;
            case "dnd":
                return p < 6;
            case "vip":
                return p < 15;
            default:
                return false;
        }
    }

    private static boolean oldTac(final String tac) {
        for (final Population.Handset h : Population.HANDSETS) {
            if (h.old4g() && h.tac().equals(tac)) {
                return true;
            }
        }
        return false;
    }

    /** Identities are unique to their subscriber, so membership is that of the identity's owner. */
    @Override
    public boolean contains(final String list, final int subscriber, final String imsi, final String msisdn,
        final String imei) {
        switch (listKinds.get(list)) {
            case "msisdn":
                return msisdn != null && member(list, subscriber);
            case "imsi":
                return imsi != null && member(list, subscriber);
            default:
                return imei != null && oldTac(imei.substring(0, 8));
        }
    }

    @Override
    public boolean canCheck(final String list, final String imsi, final String msisdn, final String imei) {
        switch (listKinds.get(list)) {
            case "msisdn":
                return msisdn != null;
            case "imsi":
                return imsi != null;
            default:
                return imei != null;
        }
    }

    @Override
    public boolean homeImsi(final String imsi) {
        for (final String plmn : Population.HOME_PLMNS) {
            if (imsi.startsWith(plmn)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String region(final String msisdn) {
        return Population.regionOf(msisdn);
    }

    @Override
    public String homeRegion() {
        return Population.HOME_REGION;
    }

    @Override
    public boolean hasHome() {
        return mode == Mode.FULL;
    }

    // ---- rules -----------------------------------------------------------------------------------

    private void rule(final String id, final String type, final Map<String, Object> params, final List<String> rat,
        final List<String> apn, final List<String> direction, final List<String> include, final List<String> exclude,
        final long[] valid, final RuleDef.QuietHours quiet, final RuleDef.Cap cap, final int priority,
        final String payload) {
        rules.add(new RuleDef(id, type, params, rat, apn, direction, include, exclude,
            valid == null ? null : valid[0], valid == null ? null : valid[1],
            valid == null ? null : iso(valid[0]), valid == null ? null : iso(valid[1]), quiet, cap, priority, payload));
    }

    private static Map<String, Object> params(final Object... kv) {
        final Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static RuleDef.Cap cap(final int count, final int hours) {
        return new RuleDef.Cap(count, hours + "h", hours * Oracle.HOUR_NS);
    }

    private void defineRules() {
        final boolean full = mode == Mode.FULL;
        final long third = (endNs - startNs) / 3;
        // the campaign season, and a window inside the scenario so validity bounds are exercised
        final long[] season = {Instant.parse("2026-11-01T00:00:00Z").getEpochSecond() * 1_000_000_000L - 8 * Oracle.HOUR_NS,
            Instant.parse("2026-12-31T15:59:59Z").getEpochSecond() * 1_000_000_000L};
        final long[] middle = {startNs + third, startNs + 2 * third};
        final List<String> none = List.of();
        if (full) {
            rule("airport-welcome", "areaEntry", params("area", "airport-T3", "antiFlapMinutes", 30),
                List.of("EUTRAN", "NR"), null, null, List.of("gold"), List.of("dnd"), season,
                new RuleDef.QuietHours("22:00", "08:00", true), cap(1, 48), 10,
                "{\"campaign\":\"C123\",\"template\":\"T9\"}");
            rule("stadium-dwell", "areaDwell", params("area", "stadium", "minutes", 45), null, null, null, none,
                List.of("dnd"), null, null, null, 7, "{\"campaign\":\"C-STADIUM\"}");
            rule("rail-dwell", "areaDwell", params("area", "rail-station", "minutes", 15), null, null, null, none,
                none, null, null, cap(1, 24), 4, "{\"campaign\":\"C-RAIL\"}");
            rule("shop-regular", "frequentVisitor", params("area", "handset-shops", "count", 2, "days", 7), null, null,
                null, none, List.of("dnd"), null, null, null, 8, "{\"campaign\":\"C-SHOP-LOYAL\"}");
            rule("shop-entry", "areaEntry", params("area", "handset-shops", "antiFlapMinutes", 10), null, null, null,
                List.of("old4g"), none, null, new RuleDef.QuietHours("23:00", "07:00", false), null, 9,
                "{\"campaign\":\"C-UPGRADE\",\"offer\":\"trade-in\"}");
            rule("welcome-abroad", "roamingIn", params("scope", "international"), null, null, null, none, none, season,
                null, cap(1, 168), 12, "{\"campaign\":\"C-INBOUND\",\"lang\":\"auto\"}");
            rule("welcome-province", "roamingIn", params("scope", "province"), null, null, null, none, none, null, null,
                null, 11, "{\"campaign\":\"C-PROVINCE\"}");
            rule("long-stay", "roamingDuration", params("scope", "any", "hours", 2), null, null, null, none, none, null,
                null, null, 6, "{\"campaign\":\"C-LONGSTAY\"}");
            rule("new-handset", "handsetChange", params("by", "imei"), null, null, null, none, List.of("dnd"), null,
                null, null, 9, "{\"campaign\":\"C-NEWPHONE\"}");
            rule("new-model", "handsetChange", params("by", "tac"), null, null, null, none, List.of("old4g"), null, null,
                null, 3, "{\"campaign\":\"C-NEWMODEL\"}");
            rule("forwarding-back", "forwardingThenPowerOn", params("withinHours", 24), null, null, null, none, none,
                null, null, null, 5, "{\"campaign\":\"C-FWD\"}");
        }
        rule("data-welcome", "dataSession", params(), List.of("EUTRAN", "NR"), null, null, List.of("gold"),
            List.of("dnd"), season, null, full ? cap(1, 24) : null, 10, "{\"campaign\":\"C-DATA-01\",\"template\":\"welcome-4g\"}");
        rule("on-the-move", "locationUpdate", params(), null, null, null, List.of("vip"), none, null, null,
            full ? cap(2, 1) : null, 5, "{\"campaign\":\"C-MOVE-02\"}");
        rule("wap-window", "dataSession", params(), null, List.of("cmwap"), null, none, List.of("dnd"), middle, null,
            null, 2, "{\"campaign\":\"C-WAP\"}");
        rule("old-phone-data", "dataSession", params(), null, null, null, List.of("old4g"), none, null, null, null, 1,
            "{\"campaign\":\"C-OLD4G\",\"offer\":\"upgrade\"}");
        rule("power-on", "powerOn", params(), null, null, null, List.of("gold"), none, null, null, null, 4,
            "{\"campaign\":\"C-ON\"}");
        rule("power-off", "powerOff", params(), null, null, null, none, none, null, null, null, 1,
            "{\"campaign\":\"C-OFF\"}");
        rule("sms-sent", "sms", params(), null, null, List.of("mo"), none, List.of("dnd"), null, null, null, 1,
            "{\"campaign\":\"C-SMS\"}");
        rule("hotline", "hotlineCall", params("numbers", List.of("10086", "114")), null, null, null, none, none, null,
            null, null, 15, "{\"campaign\":\"C-CARE\"}");
        if (full) {
            globalCap = new RuleDef.Cap(3, "24h", 24 * Oracle.HOUR_NS);
        }
    }

    private static String iso(final long ns) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
            Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L).atZone(ZoneId.of(TIMEZONE)));
    }

    // ---- files -----------------------------------------------------------------------------------

    void write(final Path dir, final String version) throws IOException {
        Files.createDirectories(dir.resolve("areas"));
        writeSnapshot(dir.resolve(SNAPSHOT), version);
        writeLists(dir);
        for (final CellMap.Area a : cells.areas()) {
            try (Writer w = Files.newBufferedWriter(dir.resolve("areas").resolve(a.id() + ".csv"))) {
                w.write("plmn,cell\n");
                for (final int c : a.cells()) {
                    w.write(CellMap.PLMN + "," + CellMap.eci(c) + "\n");
                }
            }
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve("cells.csv"))) {
            w.write("plmn,cell,tac,areas\n");
            for (int c = 0; c < cells.cellCount(); c++) {
                final StringBuilder areas = new StringBuilder();
                for (int a = 0; a < cells.areas().size(); a++) {
                    if ((cells.areaBits(c) >>> a & 1) != 0) {
                        areas.append(areas.length() > 0 ? ";" : "").append(cells.areas().get(a).id());
                    }
                }
                w.write(CellMap.PLMN + "," + CellMap.eci(c) + "," + CellMap.tac(c) + "," + areas + "\n");
            }
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve("msisdn-regions.csv"))) {
            w.write("prefix,region\n");
            for (final String segment : Population.SEGMENTS) {
                for (int d = 0; d < 10; d++) {
                    w.write("86" + segment + d + "," + Population.REGION_BY_DIGIT[d] + "\n");
                }
            }
            w.write(Population.GD_INSIDE_BJ + "," + Population.HOME_REGION + "\n");
        }
    }

    private void writeLists(final Path dir) throws IOException {
        try (Writer gold = new BufferedWriter(new OutputStreamWriter(
                 new GZIPOutputStream(Files.newOutputStream(dir.resolve("gold.txt.gz"))), StandardCharsets.US_ASCII));
             Writer dnd = Files.newBufferedWriter(dir.resolve("dnd.txt"));
             Writer vip = Files.newBufferedWriter(dir.resolve("vip-imsi.txt"))) {
            gold.write("# gold subscribers (MSISDN, international form); generated\n");
            dnd.write("# do not disturb\n\n");
            vip.write("# VIP IMSIs\n");
            for (int i = 0; i < population.size(); i++) {
                if (member("gold", i)) {
                    // DESIGN §13: a leading + is allowed; some lines use it
                    gold.write((i % 7 == 0 ? "+" : "") + population.msisdn(i) + "\n");
                }
                if (member("dnd", i)) {
                    dnd.write(population.msisdn(i) + "\n");
                }
                if (member("vip", i)) {
                    vip.write(population.imsi(i) + "\n");
                }
            }
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve("tac-old4g.txt"))) {
            w.write("# TACs of old 4G handset models\n");
            for (final Population.Handset h : Population.HANDSETS) {
                if (h.old4g()) {
                    w.write(h.tac() + "\n");
                }
            }
        }
    }

    private void writeSnapshot(final Path file, final String version) throws IOException {
        final StringBuilder b = new StringBuilder(8192);
        b.append("{\n  \"version\": \"").append(version).append("\",\n");
        b.append("  \"timezone\": \"").append(TIMEZONE).append("\",\n");
        if (mode == Mode.FULL) {
            b.append("  \"home\": { \"plmns\": ").append(strings(Population.HOME_PLMNS))
                .append(", \"region\": \"").append(Population.HOME_REGION)
                .append("\", \"regionsFile\": \"msisdn-regions.csv\" },\n");
        }
        b.append("  \"lists\": {\n");
        int n = 0;
        for (final Map.Entry<String, String> e : listKinds.entrySet()) {
            b.append("    \"").append(e.getKey()).append("\": { \"kind\": \"").append(e.getValue())
                .append("\", \"file\": \"").append(listFiles.get(e.getKey())).append("\" }")
                .append(++n < listKinds.size() ? ",\n" : "\n");
        }
        b.append("  },\n");
        if (mode == Mode.FULL) {
            b.append("  \"areas\": {\n");
            for (int a = 0; a < cells.areas().size(); a++) {
                final String id = cells.areas().get(a).id();
                b.append("    \"").append(id).append("\": { \"file\": \"areas/").append(id).append(".csv\" }")
                    .append(a + 1 < cells.areas().size() ? ",\n" : "\n");
            }
            b.append("  },\n");
            b.append("  \"globalCap\": { \"count\": ").append(globalCap.count()).append(", \"per\": \"")
                .append(globalCap.per()).append("\" },\n");
        }
        b.append("  \"rules\": [\n");
        for (int i = 0; i < rules.size(); i++) {
            appendRule(rules.get(i), b);
            b.append(i + 1 < rules.size() ? ",\n" : "\n");
        }
        b.append("  ]\n}\n");
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    private static void appendRule(final RuleDef r, final StringBuilder b) {
        b.append("    { \"id\": \"").append(r.id()).append("\",\n");
        b.append("      \"trigger\": { \"type\": \"").append(r.type()).append('"');
        for (final Map.Entry<String, Object> p : r.params().entrySet()) {
            b.append(", \"").append(p.getKey()).append("\": ");
            if (p.getValue() instanceof String) {
                b.append('"').append(p.getValue()).append('"');
            } else if (p.getValue() instanceof List) {
                @SuppressWarnings("unchecked") final List<String> l = (List<String>) p.getValue();
                b.append(strings(l));
            } else {
                b.append(p.getValue());
            }
        }
        b.append(" },\n");
        final List<String> filter = new ArrayList<>();
        if (r.rat() != null) {
            filter.add("\"rat\": " + strings(r.rat()));
        }
        if (r.apn() != null) {
            filter.add("\"apn\": " + strings(r.apn()));
        }
        if (r.direction() != null) {
            filter.add("\"direction\": " + strings(r.direction()));
        }
        if (!filter.isEmpty()) {
            b.append("      \"filter\": { ").append(String.join(", ", filter)).append(" },\n");
        }
        if (!r.include().isEmpty()) {
            b.append("      \"include\": ").append(strings(r.include())).append(",\n");
        }
        if (!r.exclude().isEmpty()) {
            b.append("      \"exclude\": ").append(strings(r.exclude())).append(",\n");
        }
        if (r.validFromText() != null) {
            b.append("      \"valid\": { \"from\": \"").append(r.validFromText()).append("\", \"to\": \"")
                .append(r.validToText()).append("\" },\n");
        }
        if (r.quietHours() != null) {
            b.append("      \"quietHours\": { \"from\": \"").append(r.quietHours().from()).append("\", \"to\": \"")
                .append(r.quietHours().to()).append("\", \"action\": \"")
                .append(r.quietHours().defer() ? "defer" : "drop").append("\" },\n");
        }
        if (r.cap() != null) {
            b.append("      \"cap\": { \"count\": ").append(r.cap().count()).append(", \"per\": \"")
                .append(r.cap().per()).append("\" },\n");
        }
        b.append("      \"priority\": ").append(r.priority()).append(",\n");
        b.append("      \"payload\": ").append(r.payloadJson()).append(" }");
    }

    private static String strings(final List<String> values) {
        final StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            b.append(i > 0 ? ", " : "").append('"').append(values.get(i)).append('"');
        }
        return b.append(']').toString();
    }
}
