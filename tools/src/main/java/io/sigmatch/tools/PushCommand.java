package io.sigmatch.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigmatch push rules|targets|areas FILE... --to URL --token-file F}: the central platform's
 * side of a snapshot rollout. {@code rules SNAPSHOT.json} uploads the rule document under the
 * version it declares and, unless {@code --rules-only}, every list and area file it names (read
 * relative to it, as replay reads them); {@code targets}/{@code areas} upload files into
 * {@code --version}. {@code --activate} then validates and activates the version. Each upload's
 * size and SHA-256 (as the appliance computed it) go to stderr; the activation result to stdout.
 */
@Command(name = "push", mixinStandardHelpOptions = true,
    description = "Upload a snapshot to an appliance's admin plane: rules SNAPSHOT.json (with the lists and areas it "
        + "names), or targets/areas FILE... into --version; --activate to switch to it.")
public final class PushCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "rules|targets|areas")
    private String what;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE")
    private List<Path> files;

    @Option(names = "--to", required = true, paramLabel = "URL", description = "the appliance's admin plane, e.g. https://probe-7:7443")
    private String url;

    @Option(names = "--token-file", required = true, paramLabel = "FILE", description = "file holding a platform token (0600)")
    private Path tokenFile;

    @Option(names = "--ca", paramLabel = "PEM", description = "CA certificate to trust for https")
    private Path ca;

    @Option(names = "--version", paramLabel = "V", description = "snapshot version (targets/areas; rules: default its own)")
    private String version;

    @Option(names = "--rules-only", description = "rules: upload the document only, not the files it names")
    private boolean rulesOnly;

    @Option(names = "--gzip", description = "compress plain files in transit (Content-Encoding: gzip); .gz files go as they are")
    private boolean gzip;

    @Option(names = "--activate", description = "activate the version once uploaded")
    private boolean activate;

    @Override
    public Integer call() throws Exception {
        final AdminClient client = new AdminClient(url, tokenFile, ca);
        switch (what) {
            case "rules" -> {
                if (files.size() != 1) {
                    throw new IllegalArgumentException("push rules takes one snapshot file");
                }
                final Path snapshot = files.get(0);
                final JsonNode doc = JSON.readTree(snapshot.toFile());
                final String v = version != null ? version : doc.path("version").asText(null);
                if (v == null) {
                    throw new IllegalArgumentException(snapshot + ": no version in the document; give --version");
                }
                version = v;
                upload(client, "rules", snapshot, "snapshots/" + v + "/rules", false);
                if (!rulesOnly) {
                    final Path dir = snapshot.toAbsolutePath().getParent();
                    for (final Iterator<Map.Entry<String, JsonNode>> it = doc.path("lists").properties().iterator(); it.hasNext(); ) {
                        final String name = it.next().getValue().path("file").asText();
                        upload(client, "list", dir.resolve(name), "snapshots/" + v + "/lists/" + name, gzip);
                    }
                    for (final Iterator<Map.Entry<String, JsonNode>> it = doc.path("areas").properties().iterator(); it.hasNext(); ) {
                        final String name = it.next().getValue().path("file").asText();
                        final String leaf = name.startsWith("areas/") ? name.substring(6) : name;
                        upload(client, "area", dir.resolve(name), "snapshots/" + v + "/areas/" + leaf, gzip);
                    }
                }
            }
            case "targets", "areas" -> {
                if (version == null) {
                    throw new IllegalArgumentException("push " + what + " needs --version");
                }
                for (final Path f : files) {
                    upload(client, what.equals("targets") ? "list" : "area", f, "snapshots/" + version + "/"
                        + (what.equals("targets") ? "lists/" : "areas/") + f.getFileName(), gzip);
                }
            }
            default -> throw new IllegalArgumentException("push rules, targets or areas, not " + what);
        }
        if (activate) {
            final long t0 = System.nanoTime();
            final JsonNode r = client.send("POST", "snapshots/" + version + "/activate", null);
            System.err.printf("push: %s active (was %s) in %.0f ms%n", r.path("active").asText(),
                r.path("previous").asText(), (System.nanoTime() - t0) / 1e6);
            System.out.println(r);
        }
        return 0;
    }


    private static void upload(final AdminClient client, final String kind, final Path f, final String path,
        final boolean gzip) throws Exception {
        if (!Files.isReadable(f)) {
            throw new java.io.IOException("cannot read " + f);
        }
        final boolean compress = gzip && !f.getFileName().toString().endsWith(".gz");
        final JsonNode r = compress
            ? client.send("PUT", path, AdminClient.file(f, true), "Content-Encoding", "gzip")
            : client.send("PUT", path, AdminClient.file(f, false));
        System.err.printf("push: %s %s: %d bytes, sha256 %s%n", kind, f.getFileName(), r.path("bytes").asLong(),
            r.path("sha256").asText());
    }
}
