package io.edgeloop.server.fleet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code edgeloop fleet models list|lineage NAME V}: the server's registry over REST. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "The server's model registry.",
        subcommands = {FleetModelsCommand.ListModels.class, FleetModelsCommand.Lineage.class})
public final class FleetModelsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Registered versions of every model.")
    static final class ListModels implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, client -> client.get("/models"),
                    (out, all) -> new Table().field("MODEL", "name").field("VERSION", "version").field("STAGE", "stage")
                            .field("PARENT", "parentVersion").field("RUN", "runId").print(out, all));
        }
    }

    @Command(name = "lineage", mixinStandardHelpOptions = true,
            description = "A version back to its run, datasets, captures, parent, packages and rollouts.")
    static final class Lineage implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "VERSION")
        int version;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection,
                    client -> client.get("/models/" + FleetClient.segment(name) + "/versions/" + version + "/lineage"),
                    (out, l) -> {
                        out.printf("%s v%d (%s), run %s, parent %s%n", l.path("model").asText(), l.path("version").asInt(),
                                l.path("stage").asText(), l.path("runId").asText(), l.path("parentVersion").asText("-"));
                        l.path("datasets").forEach(d -> out.printf("  dataset %-16s %s (%s rows) sha256 %s%n",
                                d.path("role").asText(), d.path("spec").asText(), d.path("rows").asText("?"),
                                d.path("sha256").asText()));
                        l.path("captures").forEach(c -> out.printf("  captures %-8s %s: %d (ids %d..%d)%n",
                                c.path("part").asText(), c.path("deviceId").asText(), c.path("count").asInt(),
                                c.path("minId").asLong(), c.path("maxId").asLong()));
                        l.path("packages").forEach(p -> out.printf("  package %s:%s sha256 %s%n", p.path("name").asText(),
                                p.path("version").asText(), p.path("sha256").asText()));
                        l.path("rollouts").forEach(r -> out.printf("  rollout %s %s (%s)%n", r.path("rolloutId").asText(),
                                r.path("state").asText(), r.path("package").asText()));
                    });
        }
    }
}
