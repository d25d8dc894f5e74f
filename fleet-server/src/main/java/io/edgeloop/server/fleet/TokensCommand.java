package io.edgeloop.server.fleet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code edgeloop fleet tokens create|list|revoke} (admin). */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = "Create, list and revoke API tokens (admin).",
        subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class})
public final class TokensCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token and print its secret (shown once).")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--role", required = true, description = "viewer, operator or admin.")
        String role;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, client -> client.post("/tokens", Map.of("name", name, "role", role)),
                    (out, t) -> out.printf("created %s (%s, %s); the token, shown only now:%n%s%n", t.get("id").asText(),
                            t.get("name").asText(), t.get("role").asText(), t.get("token").asText()));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (no secrets).")
    static final class ListTokens implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, client -> client.get("/tokens"),
                    (out, all) -> new Table().field("ID", "id").field("NAME", "name").field("ROLE", "role")
                            .field("CREATED", "createdAt").field("REVOKED", "revokedAt").print(out, all));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by id.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, client -> client.delete("/tokens/" + FleetClient.segment(id)),
                    (out, t) -> out.printf("revoked %s (%s)%n", t.get("id").asText(), t.get("name").asText()));
        }
    }
}
