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
 * {@code unknown field: <path>}; a field or trigger type DESIGN §13 defines but this build does not
 * evaluate yet (the stateful triggers, areas, home network, frequency caps, quiet hours) is refused as
 * {@code not supported yet: <path>}, so a platform never believes a campaign is governed by a cap the
 * appliance does not apply. Duplicate keys are refused too.
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

    private static final Set<String> ROOT_FIELDS = Set.of("version", "timezone", "lists", "rules");
    private static final Set<String> ROOT_NOT_YET = Set.of("home", "areas", "globalCap");
    private static final Set<String> LIST_FIELDS = Set.of("kind", "file");
    private static final Set<String> RULE_FIELDS = Set.of("id", "trigger", "filter", "include", "exclude", "valid",
        "priority", "payload");
    private static final Set<String> RULE_NOT_YET = Set.of("quietHours", "cap");
    private static final Set<String> FILTER_FIELDS = Set.of("rat", "apn", "direction");
    private static final Set<String> FILTER_NOT_YET = Set.of("plmn");
    private static final Set<String> VALID_FIELDS = Set.of("from", "to");

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

    private static final class Draft {
        String id;
        int order;
        int priority;
        TriggerType trigger;
        int eventKinds;
        int ratMask;
        byte[][] apns = new byte[0][];
        long[] numbers = new long[0];
        int[] include = new int[0];
        int[] exclude = new int[0];
        long validFrom = Rule.NO_START;
        long validTo = Rule.NO_END;
        byte[] payload;
    }

    private RuleSet compile(final ObjectNode root, final List<String> rootOrder, final List<RuleText> ruleTexts)
        throws SnapshotException {
        checkFields(rootOrder, "", ROOT_FIELDS, ROOT_NOT_YET);
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
            d.order = i;
            drafts.add(d);
        }
        // higher priority first; equal priorities keep the order they were written in
        drafts.sort((a, b) -> a.priority != b.priority ? Integer.compare(b.priority, a.priority)
            : Integer.compare(a.order, b.order));

        final TargetList[] loaded = loadLists(lists);
        final Rule[] rules = new Rule[drafts.size()];
        for (int i = 0; i < rules.length; i++) {
            final Draft d = drafts.get(i);
            rules[i] = new Rule(d.id, i, d.priority, d.trigger, d.eventKinds, d.ratMask, d.apns, d.numbers,
                d.include, d.exclude, d.validFrom, d.validTo, d.payload);
        }
        return new RuleSet(version, timezone, listNames, loaded, rules);
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
        checkFields(text.order, path, RULE_FIELDS, RULE_NOT_YET);
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
        for (final String notYet : TriggerType.NOT_SUPPORTED_YET) {
            if (notYet.equals(type)) {
                throw new SnapshotException(source, path + ".type", "not supported yet: " + path + ".type " + type);
            }
        }
        d.trigger = TriggerType.byJsonName(type);
        if (d.trigger == null) {
            throw error(path + ".type", "unknown trigger type " + type);
        }
        d.eventKinds = d.trigger.eventKinds();
        if (d.trigger == TriggerType.HOTLINE_CALL) {
            checkFields(fieldNames((ObjectNode) node), path, Set.of("type", "numbers"), Set.of());
            d.numbers = numbers(node.get("numbers"), path + ".numbers");
        } else {
            checkFields(fieldNames((ObjectNode) node), path, Set.of("type"), Set.of());
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
        checkFields(fieldNames((ObjectNode) node), path, FILTER_FIELDS, FILTER_NOT_YET);
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
