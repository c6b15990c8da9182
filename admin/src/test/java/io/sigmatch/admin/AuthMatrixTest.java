package io.sigmatch.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint × every kind of caller, over HTTP to a real running server: no token and a bad
 * token get 401 (with WWW-Authenticate), a role below the endpoint's gets 403, a sufficient one is
 * let through (whatever the endpoint then answers). The matrix is printed for the issue's note.
 */
class AuthMatrixTest {
    /** method, path, body, the least role (null = public). */
    private record Endpoint(String method, String path, String body, Role role) {
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
        new Endpoint("GET", "/health", null, null),
        new Endpoint("GET", "/status", null, null),
        new Endpoint("GET", "/health/ready", null, Role.OPS),
        new Endpoint("GET", "/metrics", null, Role.OPS),
        new Endpoint("GET", "/status.json", null, Role.OPS),
        new Endpoint("GET", "/snapshots", null, Role.PLATFORM),
        new Endpoint("GET", "/snapshots/m1", null, Role.PLATFORM),
        new Endpoint("PUT", "/snapshots/m1/rules", "{\"version\":\"m1\",\"rules\":[]}", Role.PLATFORM),
        new Endpoint("PUT", "/snapshots/m1/lists/gold.txt", "460001234567890\n", Role.PLATFORM),
        new Endpoint("PUT", "/snapshots/m1/areas/a1.csv", "plmn,cell\n46000,123\n", Role.PLATFORM),
        new Endpoint("POST", "/snapshots/nosuch/activate", null, Role.PLATFORM),
        new Endpoint("POST", "/snapshots/nosuch/rollback", null, Role.ADMIN),
        new Endpoint("POST", "/snapshots/rollback", null, Role.ADMIN),
        new Endpoint("GET", "/tokens", null, Role.ADMIN),
        new Endpoint("POST", "/tokens", "{\"id\":\"new-%s\",\"role\":\"ops\"}", Role.ADMIN),
        new Endpoint("DELETE", "/tokens/nosuch", null, Role.ADMIN),
        new Endpoint("GET", "/audit", null, Role.ADMIN),
        new Endpoint("GET", "/matches", null, Role.PLATFORM),
        new Endpoint("POST", "/outcomes", "{\"matchId\":\"00000000000000000000000000000001\",\"outcome\":\"delivered\"}\n",
            Role.PLATFORM));

    @Test
    void everyEndpointAgainstEveryCaller(@TempDir final Path dir) throws Exception {
        try (AdminFixture f = new AdminFixture(dir)) {
            final String[] callers = {"none", "bad", "ops", "platform", "admin"};
            final String[] tokens = {null, "smt_" + "A".repeat(43), f.ops, f.platform, f.admin};
            final Role[] roles = {null, null, Role.OPS, Role.PLATFORM, Role.ADMIN};
            final StringBuilder table = new StringBuilder("| endpoint | least role | none | bad token | ops | platform | admin |\n"
                + "|---|---|---|---|---|---|---|\n");
            final List<String> failures = new ArrayList<>();
            int n = 0;
            for (final Endpoint e : ENDPOINTS) {
                table.append("| ").append(e.method()).append(' ').append(e.path()).append(" | ")
                    .append(e.role() == null ? "public" : e.role().jsonName());
                for (int c = 0; c < callers.length; c++) {
                    final String body = e.body() == null ? null : e.body().formatted(n++);
                    final HttpResponse<String> r = f.send(e.method(), e.path(), tokens[c],
                        body == null ? null : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
                    final int expected;
                    if (e.role() == null) {
                        expected = -1;
                    } else if (roles[c] == null) {
                        expected = 401;
                    } else if (!roles[c].includes(e.role())) {
                        expected = 403;
                    } else {
                        expected = -1;
                    }
                    final int got = r.statusCode();
                    // readiness says 503 (no rule set serving in this fixture): an answer, not a refusal
                    final boolean ok = expected == -1
                        ? got != 401 && got != 403 && (got < 500 || got == 503 && e.path().equals("/health/ready"))
                        : got == expected;
                    if (!ok) {
                        failures.add(e.method() + " " + e.path() + " as " + callers[c] + ": " + got + " " + r.body());
                    }
                    if (got == 401) {
                        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
                    }
                    table.append(" | ").append(got);
                }
                table.append(" |\n");
            }
            System.out.println(table);
            assertTrue(failures.isEmpty(), String.join("\n", failures));
            // the tokens never reach the audit log, the token ids do
            final String audit = Files.readString(f.audit.file());
            for (final String t : new String[] {f.ops, f.platform, f.admin}) {
                assertFalse(audit.contains(t));
            }
            assertTrue(audit.contains("\"who\":\"admin-1\""));
            assertTrue(audit.contains("\"action\":\"token.issue\""));
        }
    }

    @Test
    void issuedTokenWorksAndRevokedTokenStops(@TempDir final Path dir) throws Exception {
        try (AdminFixture f = new AdminFixture(dir)) {
            final HttpResponse<String> issued = f.send("POST", "/tokens", f.admin,
                HttpRequest.BodyPublishers.ofString("{\"id\":\"grafana\",\"role\":\"ops\"}"));
            assertEquals(201, issued.statusCode(), issued.body());
            final String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(issued.body()).get("token").asText();
            assertEquals(200, f.get("/metrics", token).statusCode());
            assertEquals(403, f.get("/snapshots", token).statusCode());
            // the file holds the hash, not the token, and is owner-only
            final String file = Files.readString(dir.resolve("tokens"));
            assertFalse(file.contains(token));
            assertTrue(file.contains("grafana ops "));
            assertEquals("rw-------", AdminFixture.perms(dir.resolve("tokens")));
            assertEquals(200, f.send("DELETE", "/tokens/grafana", f.admin, null).statusCode());
            assertEquals(401, f.get("/metrics", token).statusCode());
            // a fresh load of the file agrees
            assertEquals(3, TokenStore.load(dir.resolve("tokens")).entries().size());
        }
    }

    @Test
    void tokenFileReadableByOthersIsRefused(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("tokens");
        TokenStore.load(file).issue("x", Role.OPS);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        final java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
            () -> TokenStore.load(file));
        assertTrue(e.getMessage().contains("owner-only"), e.getMessage());
    }
}
