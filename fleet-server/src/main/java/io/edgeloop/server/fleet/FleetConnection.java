package io.edgeloop.server.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the server is and which token to use, first found wins: {@code --server}/{@code --token},
 * then {@code EDGELOOP_SERVER}/{@code EDGELOOP_TOKEN}, then the config file ({@code --config}, or
 * {@code ~/.config/edgeloop/fleet.yaml} with {@code server:} and {@code token:}).
 */
public final class FleetConnection {
    public static final String DEFAULT_SERVER = "http://localhost:8090";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--server", description = "Server URL (env EDGELOOP_SERVER; default " + DEFAULT_SERVER + ").")
    String server;

    @Option(names = "--token", description = "API token (env EDGELOOP_TOKEN).")
    String token;

    @Option(names = "--config", description = "Config file with server: and token: (default ~/.config/edgeloop/fleet.yaml).")
    Path config;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    public boolean json() {
        return json;
    }

    public FleetClient client() {
        JsonNode file = configFile();
        String url = first(server, System.getenv("EDGELOOP_SERVER"), text(file, "server"), DEFAULT_SERVER);
        String bearer = first(token, System.getenv("EDGELOOP_TOKEN"), text(file, "token"), null);
        if (bearer == null) {
            throw new ParameterException(spec.commandLine(), "no API token: pass --token, set EDGELOOP_TOKEN or put"
                    + " 'token:' in ~/.config/edgeloop/fleet.yaml (the first admin token is in the server's DATA_DIR/admin.token)");
        }
        return new FleetClient(url, bearer);
    }

    private JsonNode configFile() {
        Path file = config;
        if (file == null) {
            String home = System.getProperty("user.home");
            file = Path.of(home, ".config", "edgeloop", "fleet.yaml");
            if (!Files.isRegularFile(file)) {
                return null;
            }
        }
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read the config file " + file + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        return node == null || !node.hasNonNull(field) ? null : node.get(field).asText();
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
