package io.edgeloop.profiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.profiles.catalog.DeviceProfile;
import io.edgeloop.profiles.catalog.ProfileCatalog;
import io.edgeloop.profiles.match.ProfileMatcher;
import io.edgeloop.profiles.probe.HardwareProbe;
import io.edgeloop.profiles.probe.ProbeOptions;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code edgeloop profile ...}: shows the device-profile catalog and which profile this machine
 * (or a fixture tree) matches. Exit codes: 0 ok, 1 a failure with an error code, 2 bad usage.
 */
@Command(name = "edgeloop", subcommands = ProfileMain.Profile.class, mixinStandardHelpOptions = true,
        versionProvider = ProfileMain.Version.class, description = "EdgeLoop device profiles.")
public final class ProfileMain implements Callable<Integer> {
    static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns its exit code; split from main so tests see the output. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new ProfileMain());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof EdgeLoopException e) {
                commandLine.getErr().println("edgeloop profile: " + e.describe());
                return EXIT_FAILURE;
            }
            throw ex;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** Common options: where the catalog comes from. */
    static final class CatalogOption {
        @Option(names = "--catalog", paramLabel = "DIR",
                description = "Folder with index.yaml and profile files (default: the built-in catalog).")
        Path catalogDir;

        ProfileCatalog load() throws EdgeLoopException {
            return catalogDir == null ? ProfileCatalog.loadDefault() : ProfileCatalog.loadDirectory(catalogDir);
        }
    }

    /** The jar's Implementation-Version when packaged, "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ProfileMain.class.getPackage().getImplementationVersion();
            return new String[] {"edgeloop device-profiles " + (v == null ? "development" : v)};
        }
    }

    @Command(name = "profile", mixinStandardHelpOptions = true, versionProvider = Version.class,
            subcommands = {Detect.class, ListProfiles.class, Show.class},
            description = "Device profiles: detect this machine's, list or show the catalog.")
    static final class Profile implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return CommandLine.ExitCode.USAGE;
        }
    }

    @Command(name = "detect", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Probe the hardware and print it with the matching profile as JSON.")
    static final class Detect implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Print JSON (the default; kept for scripts that ask for it).")
        boolean json;

        @Option(names = "--root", paramLabel = "DIR", description = "Probe the /proc, /etc, /dev tree under DIR "
                + "instead of this machine (nvidia-smi is then not run). Default: /.")
        Path root = ProbeOptions.DEFAULT_ROOT;

        @CommandLine.Mixin
        CatalogOption catalog = new CatalogOption();

        @Override
        public Integer call() throws EdgeLoopException {
            ProfileCatalog profiles = catalog.load();
            ProfileDetection detection = ProfileDetection.detect(new HardwareProbe(root), new ProfileMatcher(profiles));
            spec.commandLine().getOut().println(toJson(detection));
            return CommandLine.ExitCode.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Print the catalog's profile ids.")
    static final class ListProfiles implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        CatalogOption catalog = new CatalogOption();

        @Override
        public Integer call() throws EdgeLoopException {
            for (DeviceProfile p : catalog.load().profiles()) {
                spec.commandLine().getOut().printf("%-24s %-8s %s%n", p.id(), p.architecture(), p.name());
            }
            return CommandLine.ExitCode.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Print one profile as JSON.")
    static final class Show implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "Profile id, as printed by 'profile list'.")
        String id;

        @CommandLine.Mixin
        CatalogOption catalog = new CatalogOption();

        @Override
        public Integer call() throws EdgeLoopException {
            ProfileCatalog profiles = catalog.load();
            DeviceProfile profile = profiles.find(id).orElseThrow(() -> new EdgeLoopException(
                    ErrorCode.INVALID_ARGUMENT, "no profile '" + id + "'; known: "
                    + String.join(", ", profiles.ids())));
            spec.commandLine().getOut().println(toJson(profile));
            return CommandLine.ExitCode.OK;
        }
    }

    private static String toJson(Object value) throws EdgeLoopException {
        ObjectMapper mapper = ProfileDetection.jsonMapper();
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new EdgeLoopException(ErrorCode.INTERNAL, "could not write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
