package io.sigmatch.tools;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.sigmatch.admin.Role;
import io.sigmatch.admin.TokenStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigmatch token add|remove|list --tokens FILE}: manages the admin plane's token file on the
 * probe server itself (the first admin token cannot come through the admin plane). {@code add} prints
 * the new token on stdout, once, for the operator to hand over; only its SHA-256 is stored.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Manage admin plane tokens in the token file: add ID ROLE (prints the token once), remove ID, list.")
public final class TokenCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "add|remove|list")
    private String action;

    @Parameters(index = "1..*", arity = "0..2", paramLabel = "ID [ROLE]", description = "token id; role ops, platform or admin")
    private java.util.List<String> args = java.util.List.of();

    @Option(names = "--tokens", required = true, paramLabel = "FILE", description = "the token file (created 0600)")
    private Path file;

    @Override
    public Integer call() throws Exception {
        final TokenStore store = TokenStore.load(file);
        switch (action) {
            case "add" -> {
                final Role role = args.size() == 2 ? Role.byName(args.get(1)) : null;
                if (role == null) {
                    throw new IllegalArgumentException("usage: token add ID ops|platform|admin --tokens FILE");
                }
                System.out.println(store.issue(args.get(0), role));
                System.err.println("token: added " + args.get(0) + " (" + role.jsonName() + ") to " + file
                    + "; the token above is not stored and is shown only now");
            }
            case "remove" -> {
                if (args.size() != 1 || !store.revoke(args.get(0))) {
                    throw new IllegalArgumentException(args.isEmpty() ? "usage: token remove ID --tokens FILE"
                        : "no token " + args.get(0) + " in " + file);
                }
                System.err.println("token: removed " + args.get(0));
            }
            case "list" -> {
                for (final TokenStore.Entry e : store.entries()) {
                    System.out.println(e.id() + " " + e.role().jsonName());
                }
            }
            default -> throw new IllegalArgumentException("token: add, remove or list, not " + action);
        }
        return 0;
    }
}
