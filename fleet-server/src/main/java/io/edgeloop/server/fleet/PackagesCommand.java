package io.edgeloop.server.fleet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code edgeloop fleet packages upload|list|get|delete}. */
@Command(name = "packages", mixinStandardHelpOptions = true, description = "Upload, list, show and delete packages.",
        subcommands = {PackagesCommand.Upload.class, PackagesCommand.ListPackages.class, PackagesCommand.Get.class,
                PackagesCommand.Delete.class})
public final class PackagesCommand {

    static Table table() {
        return new Table().field("NAME", "name").field("VERSION", "version").field("SIZE", "sizeBytes")
                .column("SHA256", p -> p.path("sha256").asText("").substring(0, Math.min(12, p.path("sha256").asText("").length())))
                .field("KEY", "keyId").field("UPLOADED", "uploadedAt");
    }

    static String path(String name, String version) {
        return "/packages/" + FleetClient.segment(name) + "/" + FleetClient.segment(version);
    }

    @Command(name = "upload", mixinStandardHelpOptions = true, description = "Upload a signed .elpkg (streamed).")
    static final class Upload implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(spec.commandLine(), file + " is not a file");
            }
            return FleetCall.run(spec, connection, client -> client.upload("/packages", file),
                    (out, p) -> out.printf("uploaded %s %s (sha256 %s, %d bytes)%n", p.get("name").asText(),
                            p.get("version").asText(), p.get("sha256").asText(), p.get("sizeBytes").asLong()));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List packages.")
    static final class ListPackages implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, client -> client.get("/packages"), table()::print);
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one package (with --json, its manifest).")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "VERSION")
        String version;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, client -> client.get(path(name, version)),
                    (out, p) -> table().print(out, List.of(p)));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a package no rollout refers to.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        FleetConnection connection;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "VERSION")
        String version;

        @Override
        public Integer call() {
            return FleetCall.run(spec, connection, client -> client.delete(path(name, version)),
                    (out, p) -> out.printf("deleted %s %s%n", p.get("name").asText(), p.get("version").asText()));
        }
    }
}
