package io.edgeloop.server.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;

/**
 * Runs one CLI request and maps the outcome to the exit code: 0 done, 1 the server refused (its
 * code and sentence on stderr) or could not be reached; usage errors (2) are picocli's.
 */
final class FleetCall {
    static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    interface Work {
        void run(FleetClient client, PrintWriter out) throws IOException, InterruptedException, FleetClientException;
    }

    /** One request to the server; its reply is what the command shows. */
    interface Request {
        JsonNode send(FleetClient client) throws IOException, InterruptedException, FleetClientException;
    }

    /** How a command shows a reply without {@code --json}: a table, or a sentence. */
    interface Text {
        void print(PrintWriter out, JsonNode reply);
    }

    private FleetCall() {
    }

    static int run(CommandSpec spec, FleetConnection connection, Work work) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        FleetClient client = connection.client();
        try {
            work.run(client, out);
            out.flush();
            return 0;
        } catch (FleetClientException e) {
            String sentence = e.getMessage();
            err.println(sentence.startsWith(e.code() + ":") ? sentence : e.code() + ": " + sentence);
            err.flush();
            return 1;
        } catch (ConnectException e) {
            err.println("edgeloop fleet: cannot connect to the server (" + e + "); check --server or EDGELOOP_SERVER");
            err.flush();
            return 1;
        } catch (IOException e) {
            err.println("edgeloop fleet: the request failed: " + e);
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** Sends {@code request} and shows its reply: as JSON with {@code --json}, else as {@code text} writes it. */
    static int run(CommandSpec spec, FleetConnection connection, Request request, Text text) {
        return run(spec, connection, (client, out) -> {
            JsonNode reply = request.send(client);
            if (connection.json()) {
                printJson(out, reply);
            } else {
                text.print(out, reply);
            }
        });
    }

    static void printJson(PrintWriter out, JsonNode node) throws IOException {
        out.println(PRETTY.writeValueAsString(node));
    }
}
