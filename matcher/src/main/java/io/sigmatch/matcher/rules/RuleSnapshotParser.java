package io.sigmatch.matcher.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.Rat;
import io.sigmatch.matcher.areas.AreaFileLoader;
import io.sigmatch.matcher.areas.AreaFormatException;
import io.sigmatch.matcher.areas.AreaMap;
import io.sigmatch.matcher.lists.IdentityKind;
import io.sigmatch.matcher.lists.ListFormatException;
import io.sigmatch.matcher.lists.TargetList;
import io.sigmatch.matcher.lists.TargetListLoader;
import org.agrona.CloseHelper;

/**
 * Reads a rule snapshot (DESIGN §13) into a {@link RuleSet}, off the hot path. The whole document is
 * validated before anything is loaded, then every list it names is loaded (relative to the snapshot
 * file); the first fault refuses the snapshot with a {@link SnapshotException} that names the field's
 * JSON path or the list's file and line.
 *
 * <p>Nothing is silently ignored. A field this build does not know is refused as
 * {@code unknown field: <path>}, so a platform never believes a campaign is governed by something the
 * appliance does not apply; so is a limit the subscriber state cannot hold exactly (a cap of more than
 * {@link #MAX_CAP_COUNT}, a frequent-visitor count above {@link #MAX_VISIT_COUNT}). Duplicate keys are
 * refused too. docs/rules.md documents every field.
 *
 * <p>The payload is kept as the document's own bytes, minus insignificant whitespace (a JSON Lines
 * record cannot span lines): numbers, escapes and key order reach the journal as the platform wrote them.
 */
public final class RuleSnapshotParser {
    /** Larger documents are refused before parsing: a snapshot is rules, not data. */
    public static final int MAX_SNAPSHOT_BYTES = 16 << 20;
    /** Each rule has a handful of counters; this bounds them. */
    public static final int MAX_RULES = 1000;
    /** The journal's limits on text (one length byte; a 64 KiB payload). */
    static final int MAX_VERSION_LENGTH = 255;
    static final int MAX_PAYLOAD_BYTES = 65_535;

    /** Rule, list and counter-label-safe names: no dots (counter labels are dotted paths), no spaces. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * The most matches a cap (per rule or global) may allow per window: the subscriber state keeps the
     * times of that many admitted matches, which is what a sliding window needs to be exact.
     */
    public static final int MAX_CAP_COUNT = 4;
    /** The most entries a frequentVisitor rule may count: the state keeps this many + 1 entry times per area. */
    public static final int MAX_VISIT_COUNT = 3;

    private static final Set<String> ROOT_FIELDS = Set.of("version", "timezone", "home", "lists", "areas", "globalCap",
        "rules");
    private static final Set<String> LIST_FIELDS = Set.of("kind", "file");
    private static final Set<String> HOME_FIELDS = Set.of("plmns", "region", "regionsFile");
    private static final Set<String> AREA_FIELDS = Set.of("file");
    private static final Set<String> CAP_FIELDS = Set.of("count", "per");
    private static final Set<String> QUIET_FIELDS = Set.of("from", "to", "action");
    private static final Set<String> RULE_FIELDS = Set.of("id", "trigger", "filter", "include", "exclude", "valid",
        "quietHours", "cap", "priority", "payload");
    private static final Set<String> FILTER_FIELDS = Set.of("rat", "apn", "plmn", "direction");
    private static final Set<String> VALID_FIELDS = Set.of("from", "to");
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,5})([mhd])");
    private static final Pattern TIME_OF_DAY = Pattern.compile("([01][0-9]|2[0-3]):([0-5][0-9])(:([0-5][0-9]))?");
    private static final long MINUTE_NS = 60_000_000_000L;
    private static final long HOUR_NS = 60 * MINUTE_NS;
    private static final long DAY_NS = 24 * HOUR_NS;

    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private final String source;
    private final Path baseDir;
    private final byte[] json;

    private RuleSnapshotParser(final String source, final Path baseDir, final byte[] json) {
        this.source = source;
        this.baseDir = baseDir.toAbsolutePath().normalize();
        this.json = json;
    }

    /** Reads the snapshot file; lists are read relative to its directory. */
    public static RuleSet load(final Path snapshot) throws SnapshotException {
        final String source = snapshot.getFileName().toString();
        final byte[] bytes;
        try {
            if (Files.size(snapshot) > MAX_SNAPSHOT_BYTES) {
                throw new SnapshotException(source, "", "larger than " + MAX_SNAPSHOT_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(snapshot);
        } catch (final IOException e) {
            throw new SnapshotException(source, "", "unreadable: " + e);
        }
        final Path dir = snapshot.toAbsolutePath().getParent();
        return parse(bytes, source, dir);
    }

    /** Parses a snapshot held in memory; source names it in errors, lists are read relative to baseDir. */
    public static RuleSet parse(final byte[] json, final String source, final Path baseDir) throws SnapshotException {
        if (json.length > MAX_SNAPSHOT_BYTES) {
            throw new SnapshotException(source, "", "larger than " + MAX_SNAPSHOT_BYTES + " bytes");
        }
        return new RuleSnapshotParser(source, baseDir, json).parse();
    }

    // ---- phase 1: the document ------------------------------------------------------------------

    /** A rule as read: its fields as a tree, and its payload as the document's minified bytes. */
    private static final class RuleText {
        final ObjectNode fields = MAPPER.createObjectNode();
        final List<String> order = new ArrayList<>();
        byte[] payload;
    }

    private RuleSet parse() throws SnapshotException {
        final ObjectNode root = MAPPER.createObjectNode();
        final List<String> rootOrder = new ArrayList<>();
        List<RuleText> rules = null;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error("", "the snapshot must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                final String name = p.currentName();
                p.nextToken();
                rootOrder.add(name);
                if ("rules".equals(name)) {
                    rules = readRules(p);
                } else {
                    root.set(name, MAPPER.readTree(p));
                }
            }
            if (p.nextToken() != null) {
                throw error("", "content after the snapshot object");
            }
        } catch (final JsonProcessingException e) {
            final JsonLocation at = e.getLocation();
            throw error("", "not valid JSON" + (at == null ? "" : " at line " + at.getLineNr() + " column "
                + at.getColumnNr()) + ": " + e.getOriginalMessage());
        } catch (final IOException e) {
            throw error("", "unreadable: " + e.getMessage());
        }
        return compile(root, rootOrder, rules);
    }

    private List<RuleText> readRules(final JsonParser p) throws IOException, SnapshotException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw error("rules", "must be an array");
        }
        final List<RuleText> rules = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            final String path = "rules[" + rules.size() + "]";
            if (rules.size() == MAX_RULES) {
                throw error("rules", "more than " + MAX_RULES + " rules");
            }
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw error(path, "must be an object");
            }
            final RuleText rule = new RuleText();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                final String name = p.currentName();
                p.nextToken();
                rule.order.add(name);
                if ("payload".equals(name)) {
                    rule.payload = rawValue(p, path + ".payload");
                } else {
                    rule.fields.set(name, MAPPER.readTree(p));
                }
            }
            rules.add(rule);
        }
        return rules;
    }

    /** The current value's bytes in the document, whitespace outside strings removed. */
    private byte[] rawValue(final JsonParser p, final String path) throws IOException, SnapshotException {
        final long from = p.currentTokenLocation().getByteOffset();
        if (p.currentToken().isStructStart()) {
            p.skipChildren();
        } else {
            p.finishToken();
        }
        final long to = p.currentLocation().getByteOffset();
        if (from < 0 || to <= from || to > json.length) {
            throw error(path, "the snapshot must be UTF-8 JSON");
        }
        final byte[] minified = minify(json, (int) from, (int) to);
        if (minified.length > MAX_PAYLOAD_BYTES) {
            throw error(path, minified.length + " bytes, more than the " + MAX_PAYLOAD_BYTES + " a payload may have");
        }
        return minified;
    }

    /** Drops spaces, tabs and line breaks outside strings; the rest is copied byte for byte. */
    static byte[] minify(final byte[] json, final int from, final int to) {
        final byte[] out = new byte[to - from];
        int n = 0;
        boolean inString = false;
        boolean escaped = false;
        for (int i = from; i < to; i++) {
            final byte b = json[i];
            if (inString) {
                out[n++] = b;
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                out[n++] = b;
                inString = b == '"';
            }
        }
        return Arrays.copyOf(out, n);
    }

    // ---- phase 2: meaning ------------------------------------------------------------------------

    private static final class ListDef {
        final String name;
        final IdentityKind kind;
        final Path file;

        ListDef(final String name, final IdentityKind kind, final Path file) {
            this.name = name;
            this.kind = kind;
            this.file = file;
        }
    }

    private static final class Draft extends Rule.Draft {
    }

    private RuleSet compile(final ObjectNode root, final List<String> rootOrder, final List<RuleText> ruleTexts)
        throws SnapshotException {
        checkFields(rootOrder, "", ROOT_FIELDS, Set.of());
        final String version = text(root, "version", "version", true);
        if (version.isEmpty() || version.length() > MAX_VERSION_LENGTH || !printableAscii(version)) {
            throw error("version", "must be 1 to " + MAX_VERSION_LENGTH + " printable ASCII characters");
        }
        ZoneId timezone = null;
        final String zone = text(root, "timezone", "timezone", false);
        if (zone != null) {
            try {
                timezone = ZoneId.of(zone);
            } catch (final DateTimeException e) {
                throw error("timezone", "unknown time zone " + zone);
            }
        }
        final Map<String, ListDef> lists = lists(root.get("lists"));
        final List<String> listNames = new ArrayList<>(lists.keySet());
        final Map<String, Path> areaFiles = areas(root.get("areas"));
        final List<String> areaNames = new ArrayList<>(areaFiles.keySet());
        final Home home = home(root.get("home"));
        int globalCount = 0;
        long globalPer = 0;
        if (root.has("globalCap")) {
            final long[] cap = cap(root.get("globalCap"), "globalCap");
            globalCount = (int) cap[0];
            globalPer = cap[1];
        }
        if (ruleTexts == null) {
            throw error("rules", "missing");
        }
        final List<Draft> drafts = new ArrayList<>();
        final Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < ruleTexts.size(); i++) {
            final Draft d = rule(ruleTexts.get(i), "rules[" + i + "]", listNames);
            if (!ids.add(d.id)) {
                throw error("rules[" + i + "].id", "duplicate rule id " + d.id);
            }
            if (d.areaName != null) {
                d.area = areaNames.indexOf(d.areaName);
                if (d.area < 0) {
                    throw error("rules[" + i + "].trigger.area", "no area named " + d.areaName + " in areas");
                }
            }
            if (d.trigger == TriggerType.ROAMING_IN || d.trigger == TriggerType.ROAMING_DURATION) {
                if (home == null) {
                    throw error("rules[" + i + "].trigger", "a roaming trigger needs home");
                }
                if ((d.roamingScope & Rule.SCOPE_PROVINCE) != 0 && home.region == null
                    && d.roamingScope != Rule.SCOPE_ANY) {
                    throw error("rules[" + i + "].trigger.scope", "province roaming needs home.region and home.regionsFile");
                }
            }
            if (d.quietHours && timezone == null) {
                throw error("rules[" + i + "].quietHours", "quiet hours need the snapshot's timezone");
            }
            d.order = i;
            drafts.add(d);
        }
        // higher priority first; equal priorities keep the order they were written in
        drafts.sort((a, b) -> a.priority != b.priority ? Integer.compare(b.priority, a.priority)
            : Integer.compare(a.order, b.order));

        final Set<Integer> stableIds = new java.util.HashSet<>();
        for (final Draft d : drafts) {
            if (!stableIds.add(Rule.stableId(d.id))) {
                throw error("rules[" + d.order + "].id", "rule id " + d.id + " hashes like another rule's: rename it");
            }
        }
        final RegionTable regions = home == null || home.regionsFile == null ? RegionTable.empty() : regions(home);
        final AreaMap areaMap = loadAreas(areaNames, areaFiles);
        final TargetList[] loaded;
        try {
            loaded = loadLists(lists);
        } catch (final SnapshotException | RuntimeException | Error e) {
            areaMap.close();
            throw e;
        }
        final Rule[] rules = new Rule[drafts.size()];
        for (int i = 0; i < rules.length; i++) {
            rules[i] = new Rule(drafts.get(i), i);
        }
        final int homeRegion = home == null || home.region == null ? RegionTable.UNKNOWN : regions.indexOf(home.region);
        return new RuleSet(version, timezone, listNames, loaded, rules, areaMap, home == null ? new long[0] : home.plmns,
            regions, homeRegion, globalCount, globalPer);
    }

    // ---- home, areas, caps -------------------------------------------------------------------------

    private static final class Home {
        long[] plmns;
        String region;
        Path regionsFile;
    }

    private Home home(final JsonNode node) throws SnapshotException {
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            throw error("home", "must be an object with plmns");
        }
        checkFields(fieldNames((ObjectNode) node), "home", HOME_FIELDS, Set.of());
        final Home h = new Home();
        final List<String> plmns = strings(node.get("plmns"), "home.plmns", true);
        h.plmns = new long[plmns.size()];
        for (int i = 0; i < plmns.size(); i++) {
            h.plmns[i] = plmn(plmns.get(i), "home.plmns[" + i + "]");
        }
        h.region = text(node, "region", "home.region", false);
        final String file = text(node, "regionsFile", "home.regionsFile", false);
        if ((h.region == null) != (file == null)) {
            throw error("home", "region and regionsFile go together");
        }
        if (file != null) {
            h.regionsFile = file(file, "home.regionsFile");
        }
        return h;
    }

    private long plmn(final String text, final String path) throws SnapshotException {
        if ((text.length() != 5 && text.length() != 6) || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw error(path, "a PLMN is MCC+MNC, 5 or 6 digits");
        }
        return Digits.parse(text);
    }

    private RegionTable regions(final Home home) throws SnapshotException {
        try {
            final RegionTable t = RegionTable.load(home.regionsFile);
            if (t.indexOf(home.region) == RegionTable.UNKNOWN) {
                throw error("home.region", "region " + home.region + " is in no line of the regions file");
            }
            return t;
        } catch (final RegionTable.FormatError e) {
            throw error("home.regionsFile", baseDir.relativize(home.regionsFile) + " " + e.getMessage());
        } catch (final IOException e) {
            throw error("home.regionsFile", "unreadable " + baseDir.relativize(home.regionsFile) + ": "
                + e.getClass().getSimpleName());
        }
    }

    private Map<String, Path> areas(final JsonNode node) throws SnapshotException {
        final Map<String, Path> areas = new LinkedHashMap<>();
        if (node == null) {
            return areas;
        }
        if (!node.isObject()) {
            throw error("areas", "must be an object of named areas");
        }
        if (node.size() > AreaMap.MAX_AREAS) {
            throw error("areas", "more than " + AreaMap.MAX_AREAS + " areas");
        }
        for (final Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> e = it.next();
            final String path = "areas." + e.getKey();
            if (!NAME.matcher(e.getKey()).matches()) {
                throw error(path, "an area name is 1 to 64 letters, digits, '-' or '_'");
            }
            if (!e.getValue().isObject()) {
                throw error(path, "must be an object with file");
            }
            checkFields(fieldNames((ObjectNode) e.getValue()), path, AREA_FIELDS, Set.of());
            areas.put(e.getKey(), file(text(e.getValue(), "file", path + ".file", true), path + ".file"));
        }
        final Set<Integer> stable = new java.util.HashSet<>();
        for (final String name : areas.keySet()) {
            if (!stable.add(AreaMap.stableId(name))) {
                throw error("areas." + name, "area name hashes like another area's: rename it");
            }
        }
        return areas;
    }

    private AreaMap loadAreas(final List<String> names, final Map<String, Path> files) throws SnapshotException {
        final Path[] paths = new Path[names.size()];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = files.get(names.get(i));
        }
        try {
            return AreaFileLoader.load(names.toArray(new String[0]), paths);
        } catch (final AreaFormatException e) {
            throw new SnapshotException(source, "areas", "areas: " + e.getMessage());
        } catch (final IOException e) {
            throw new SnapshotException(source, "areas", "areas: unreadable file: " + e.getClass().getSimpleName()
                + " " + e.getMessage());
        }
    }

    /** {count, perNs} of a cap object {@code {"count": N, "per": "48h"}}. */
    private long[] cap(final JsonNode node, final String path) throws SnapshotException {
        if (!node.isObject()) {
            throw error(path, "must be an object with count and per");
        }
        checkFields(fieldNames((ObjectNode) node), path, CAP_FIELDS, Set.of());
        final int count = positiveInt(node, "count", path);
        if (count > MAX_CAP_COUNT) {
            throw error(path + ".count", "at most " + MAX_CAP_COUNT + " (the subscriber state keeps that many match times)");
        }
        return new long[] {count, duration(text(node, "per", path + ".per", true), path + ".per")};
    }

    /** A duration: a number and a unit, m, h or d (e.g. 30m, 48h, 7d). */
    private long duration(final String text, final String path) throws SnapshotException {
        final java.util.regex.Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw error(path, "a duration is a whole number and m, h or d (30m, 48h, 7d)");
        }
        final long n = Long.parseLong(m.group(1));
        return n * ("m".equals(m.group(2)) ? MINUTE_NS : "h".equals(m.group(2)) ? HOUR_NS : DAY_NS);
    }

    private int positiveInt(final JsonNode parent, final String field, final String path) throws SnapshotException {
        return intParam(parent, field, path, 1, 1_000_000);
    }

    private int intParam(final JsonNode parent, final String field, final String path, final int min, final int max)
        throws SnapshotException {
        final JsonNode n = parent.get(field);
        final String at = path + "." + field;
        if (n == null) {
            throw error(at, "missing");
        }
        if (!n.isInt() || n.intValue() < min || n.intValue() > max) {
            throw error(at, "must be an integer from " + min + " to " + max);
        }
        return n.intValue();
    }

    private void quietHours(final JsonNode node, final String path, final Draft d) throws SnapshotException {
        if (!node.isObject()) {
            throw error(path, "must be an object with from, to and action");
        }
        checkFields(fieldNames((ObjectNode) node), path, QUIET_FIELDS, Set.of());
        d.quietFromNs = timeOfDay(text(node, "from", path + ".from", true), path + ".from");
        d.quietToNs = timeOfDay(text(node, "to", path + ".to", true), path + ".to");
        if (d.quietFromNs == d.quietToNs) {
            throw error(path, "from and to are the same time");
        }
        final String action = text(node, "action", path + ".action", true);
        if (!"defer".equals(action) && !"drop".equals(action)) {
            throw error(path + ".action", "must be defer or drop");
        }
        d.quietDefer = "defer".equals(action);
        d.quietHours = true;
    }

    /** HH:MM or HH:MM:SS, local time, as ns after midnight. */
    private long timeOfDay(final String text, final String path) throws SnapshotException {
        final java.util.regex.Matcher m = TIME_OF_DAY.matcher(text);
        if (!m.matches()) {
            throw error(path, "a time of day is HH:MM or HH:MM:SS");
        }
        final long seconds = Long.parseLong(m.group(1)) * 3600 + Long.parseLong(m.group(2)) * 60
            + (m.group(4) == null ? 0 : Long.parseLong(m.group(4)));
        return seconds * 1_000_000_000L;
    }

    private Map<String, ListDef> lists(final JsonNode node) throws SnapshotException {
        final Map<String, ListDef> lists = new LinkedHashMap<>();
        if (node == null) {
            return lists;
        }
        if (!node.isObject()) {
            throw error("lists", "must be an object of named lists");
        }
        for (final Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> e = it.next();
            final String path = "lists." + e.getKey();
            if (!NAME.matcher(e.getKey()).matches()) {
                throw error(path, "a list name is 1 to 64 letters, digits, '-' or '_'");
            }
            if (!e.getValue().isObject()) {
                throw error(path, "must be an object with kind and file");
            }
            final ObjectNode def = (ObjectNode) e.getValue();
            checkFields(fieldNames(def), path, LIST_FIELDS, Set.of());
            final String kindName = text(def, "kind", path + ".kind", true);
            final IdentityKind kind = IdentityKind.byJsonName(kindName);
            if (kind == null) {
                throw error(path + ".kind", "unknown list kind " + kindName + " (msisdn, imsi or tac)");
            }
            lists.put(e.getKey(), new ListDef(e.getKey(), kind, file(text(def, "file", path + ".file", true), path + ".file")));
        }
        return lists;
    }

    /** A file the snapshot names: relative, and inside the snapshot's directory. */
    private Path file(final String name, final String path) throws SnapshotException {
        final Path relative;
        try {
            relative = Path.of(name);
        } catch (final java.nio.file.InvalidPathException e) {
            throw error(path, "not a file name");
        }
        final Path resolved = baseDir.resolve(relative).normalize();
        if (name.isEmpty() || relative.isAbsolute() || !resolved.startsWith(baseDir)) {
            throw error(path, "must name a file inside the snapshot's directory");
        }
        return resolved;
    }

    private Draft rule(final RuleText text, final String path, final List<String> listNames) throws SnapshotException {
        checkFields(text.order, path, RULE_FIELDS, Set.of());
        final ObjectNode r = text.fields;
        final Draft d = new Draft();
        d.id = text(r, "id", path + ".id", true);
        if (!NAME.matcher(d.id).matches()) {
            throw error(path + ".id", "a rule id is 1 to 64 letters, digits, '-' or '_'");
        }
        d.priority = 0;
        if (r.has("priority")) {
            final JsonNode p = r.get("priority");
            if (!p.isInt()) {
                throw error(path + ".priority", "must be an integer");
            }
            d.priority = p.intValue();
        }
        trigger(r.get("trigger"), path + ".trigger", d);
        filter(r.get("filter"), path + ".filter", d);
        d.include = listRefs(r.get("include"), path + ".include", listNames);
        d.exclude = listRefs(r.get("exclude"), path + ".exclude", listNames);
        for (final int in : d.include) {
            for (final int out : d.exclude) {
                if (in == out) {
                    throw error(path + ".exclude", "list " + listNames.get(in) + " is both included and excluded");
                }
            }
        }
        valid(r.get("valid"), path + ".valid", d);
        if (r.has("quietHours")) {
            quietHours(r.get("quietHours"), path + ".quietHours", d);
        }
        if (r.has("cap")) {
            final long[] cap = cap(r.get("cap"), path + ".cap");
            d.capCount = (int) cap[0];
            d.capPerNs = cap[1];
        }
        d.payload = text.payload;
        return d;
    }

    private void trigger(final JsonNode node, final String path, final Draft d) throws SnapshotException {
        if (node == null) {
            throw error(path, "missing");
        }
        if (!node.isObject()) {
            throw error(path, "must be an object with a type");
        }
        final String type = text(node, "type", path + ".type", true);
        d.trigger = TriggerType.byJsonName(type);
        if (d.trigger == null) {
            throw error(path + ".type", "unknown trigger type " + type);
        }
        d.eventKinds = d.trigger.eventKinds();
        final List<String> fields = fieldNames((ObjectNode) node);
        switch (d.trigger) {
            case HOTLINE_CALL:
                checkFields(fields, path, Set.of("type", "numbers"), Set.of());
                d.numbers = numbers(node.get("numbers"), path + ".numbers");
                break;
            case AREA_ENTRY:
                checkFields(fields, path, Set.of("type", "area", "antiFlapMinutes"), Set.of());
                d.areaName = text(node, "area", path + ".area", true);
                d.antiFlapNs = node.has("antiFlapMinutes")
                    ? intParam(node, "antiFlapMinutes", path, 0, 1_000_000) * MINUTE_NS : 0;
                break;
            case AREA_DWELL:
                checkFields(fields, path, Set.of("type", "area", "minutes"), Set.of());
                d.areaName = text(node, "area", path + ".area", true);
                d.dwellNs = positiveInt(node, "minutes", path) * MINUTE_NS;
                break;
            case FREQUENT_VISITOR:
                checkFields(fields, path, Set.of("type", "area", "count", "days"), Set.of());
                d.areaName = text(node, "area", path + ".area", true);
                d.visitCount = intParam(node, "count", path, 1, MAX_VISIT_COUNT);
                d.visitWindowNs = intParam(node, "days", path, 1, 366) * DAY_NS;
                break;
            case ROAMING_IN:
            case ROAMING_DURATION:
                checkFields(fields, path, d.trigger == TriggerType.ROAMING_IN ? Set.of("type", "scope")
                    : Set.of("type", "scope", "hours"), Set.of());
                final String scope = text(node, "scope", path + ".scope", true);
                switch (scope) {
                    case "international":
                        d.roamingScope = Rule.SCOPE_INTERNATIONAL;
                        break;
                    case "province":
                        d.roamingScope = Rule.SCOPE_PROVINCE;
                        break;
                    case "any":
                        d.roamingScope = Rule.SCOPE_ANY;
                        break;
                    default:
                        throw error(path + ".scope", "must be international, province or any");
                }
                if (d.trigger == TriggerType.ROAMING_DURATION) {
                    d.roamingNs = positiveInt(node, "hours", path) * HOUR_NS;
                }
                break;
            case HANDSET_CHANGE:
                checkFields(fields, path, Set.of("type", "by"), Set.of());
                final String by = text(node, "by", path + ".by", true);
                if (!"imei".equals(by) && !"tac".equals(by)) {
                    throw error(path + ".by", "must be imei or tac");
                }
                d.byTac = "tac".equals(by);
                break;
            case FORWARDING_THEN_POWER_ON:
                checkFields(fields, path, Set.of("type", "withinHours"), Set.of());
                d.forwardingWithinNs = positiveInt(node, "withinHours", path) * HOUR_NS;
                break;
            default:
                checkFields(fields, path, Set.of("type"), Set.of());
                break;
        }
    }

    /** Called numbers are normalised digits (DESIGN §3); short codes stay as dialled, a '+' is dropped. */
    private long[] numbers(final JsonNode node, final String path) throws SnapshotException {
        final List<String> texts = strings(node, path, true);
        final long[] numbers = new long[texts.size()];
        for (int i = 0; i < numbers.length; i++) {
            final String t = texts.get(i);
            final long n = Digits.parse(t.startsWith("+") ? t.substring(1) : t);
            if (n == Digits.INVALID || n == Digits.NONE) {
                throw error(path + "[" + i + "]", "must be a number of 1 to " + Digits.MAX_DIGITS + " digits");
            }
            numbers[i] = n;
        }
        Arrays.sort(numbers);
        return numbers;
    }

    private void filter(final JsonNode node, final String path, final Draft d) throws SnapshotException {
        if (node == null) {
            return;
        }
        if (!node.isObject()) {
            throw error(path, "must be an object");
        }
        checkFields(fieldNames((ObjectNode) node), path, FILTER_FIELDS, Set.of());
        if (node.has("plmn")) {
            final List<String> plmns = strings(node.get("plmn"), path + ".plmn", true);
            d.plmns = new long[plmns.size()];
            for (int i = 0; i < plmns.size(); i++) {
                d.plmns[i] = plmn(plmns.get(i), path + ".plmn[" + i + "]");
            }
            Arrays.sort(d.plmns);
        }
        if (node.has("rat")) {
            final List<String> rats = strings(node.get("rat"), path + ".rat", true);
            for (int i = 0; i < rats.size(); i++) {
                final Rat rat = Rat.byName(rats.get(i));
                if (rat == null || rat == Rat.UNKNOWN) {
                    throw error(path + ".rat[" + i + "]", "unknown RAT " + rats.get(i));
                }
                d.ratMask |= 1 << rat.ordinal();
            }
        }
        if (node.has("apn")) {
            final List<String> apns = strings(node.get("apn"), path + ".apn", true);
            d.apns = new byte[apns.size()][];
            for (int i = 0; i < apns.size(); i++) {
                final String apn = apns.get(i);
                // TS 23.003 9.1: labels of letters, digits and '-', dot-separated, at most 100 octets
                if (apn.isEmpty() || apn.length() > 100 || !apn.matches("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*")) {
                    throw error(path + ".apn[" + i + "]", "not an APN network identifier");
                }
                d.apns[i] = apn.toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }
        }
        if (node.has("direction")) {
            if (d.trigger != TriggerType.SMS) {
                throw error(path + ".direction", "applies to sms rules only");
            }
            int kinds = 0;
            final List<String> directions = strings(node.get("direction"), path + ".direction", true);
            for (int i = 0; i < directions.size(); i++) {
                switch (directions.get(i)) {
                    case "mo":
                        kinds |= 1 << EventKind.SMS_MO.ordinal();
                        break;
                    case "mt":
                        kinds |= 1 << EventKind.SMS_MT.ordinal();
                        break;
                    default:
                        throw error(path + ".direction[" + i + "]", "must be mo or mt");
                }
            }
            d.eventKinds &= kinds;
        }
    }

    private int[] listRefs(final JsonNode node, final String path, final List<String> listNames) throws SnapshotException {
        if (node == null) {
            return new int[0];
        }
        final List<String> names = strings(node, path, false);
        final int[] refs = new int[names.size()];
        for (int i = 0; i < refs.length; i++) {
            refs[i] = listNames.indexOf(names.get(i));
            if (refs[i] < 0) {
                throw error(path + "[" + i + "]", "no list named " + names.get(i) + " in lists");
            }
            for (int j = 0; j < i; j++) {
                if (refs[j] == refs[i]) {
                    throw error(path + "[" + i + "]", "list " + names.get(i) + " named twice");
                }
            }
        }
        return refs;
    }

    private void valid(final JsonNode node, final String path, final Draft d) throws SnapshotException {
        if (node == null) {
            return;
        }
        if (!node.isObject() || node.isEmpty()) {
            throw error(path, "must be an object with from, to or both");
        }
        checkFields(fieldNames((ObjectNode) node), path, VALID_FIELDS, Set.of());
        if (node.has("from")) {
            d.validFrom = instant(text(node, "from", path + ".from", true), path + ".from");
        }
        if (node.has("to")) {
            d.validTo = instant(text(node, "to", path + ".to", true), path + ".to");
        }
        if (d.validFrom > d.validTo) {
            throw error(path, "from is after to");
        }
    }

    /** An ISO-8601 date-time with its offset, e.g. 2026-11-01T00:00:00+08:00, as epoch ns. */
    private long instant(final String text, final String path) throws SnapshotException {
        try {
            final Instant t = OffsetDateTime.parse(text).toInstant();
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (final DateTimeParseException e) {
            throw error(path, "not an ISO-8601 date-time with offset (2026-11-01T00:00:00+08:00)");
        } catch (final ArithmeticException e) {
            throw error(path, "outside the years 1678 to 2262");
        }
    }

    // ---- phase 3: the lists ----------------------------------------------------------------------

    private TargetList[] loadLists(final Map<String, ListDef> lists) throws SnapshotException {
        final TargetList[] loaded = new TargetList[lists.size()];
        int i = 0;
        try {
            for (final ListDef def : lists.values()) {
                try {
                    loaded[i++] = TargetListLoader.load(def.name, def.kind, def.file);
                } catch (final ListFormatException e) {
                    throw new SnapshotException(source, "lists." + def.name, "lists." + def.name + ": " + e.getMessage());
                } catch (final IOException e) {
                    throw new SnapshotException(source, "lists." + def.name + ".file",
                        "lists." + def.name + ".file: unreadable " + baseDir.relativize(def.file) + ": "
                            + e.getClass().getSimpleName());
                }
            }
        } catch (final SnapshotException | RuntimeException | Error e) {
            CloseHelper.quietCloseAll(loaded);
            throw e;
        }
        return loaded;
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private void checkFields(final List<String> names, final String path, final Set<String> allowed,
        final Set<String> notYet) throws SnapshotException {
        for (final String name : names) {
            final String at = path.isEmpty() ? name : path + "." + name;
            if (notYet.contains(name)) {
                throw new SnapshotException(source, at, "not supported yet: " + at);
            }
            if (!allowed.contains(name)) {
                throw new SnapshotException(source, at, "unknown field: " + at);
            }
        }
    }

    private static List<String> fieldNames(final ObjectNode node) {
        final List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private String text(final JsonNode parent, final String field, final String path, final boolean required)
        throws SnapshotException {
        final JsonNode node = parent.get(field);
        if (node == null) {
            if (required) {
                throw error(path, "missing");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw error(path, "must be a string");
        }
        return node.textValue();
    }

    private List<String> strings(final JsonNode node, final String path, final boolean nonEmpty) throws SnapshotException {
        if (node == null) {
            throw error(path, "missing");
        }
        if (!node.isArray() || (nonEmpty && node.isEmpty())) {
            throw error(path, nonEmpty ? "must be a non-empty array of strings" : "must be an array of strings");
        }
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw error(path + "[" + i + "]", "must be a string");
            }
            out.add(node.get(i).textValue());
        }
        return out;
    }

    private static boolean printableAscii(final String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20 || s.charAt(i) > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private SnapshotException error(final String path, final String what) {
        return new SnapshotException(source, path, path.isEmpty() ? what : path + ": " + what);
    }
}
