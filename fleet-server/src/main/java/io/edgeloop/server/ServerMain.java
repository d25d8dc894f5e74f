package io.edgeloop.server;

import io.edgeloop.server.demo.DemoCommand;
import io.edgeloop.server.fleet.FleetCommand;
import io.edgeloop.server.registry.ModelsCommand;
import io.edgeloop.server.tracking.RunsCommand;
import io.edgeloop.server.training.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The fleet server process and the commands that run beside it ({@code demo}, {@code train},
 * {@code runs}, {@code models}). Wiring is explicit: each subcommand constructs what it needs.
 */
@Command(name = "edgeloop", mixinStandardHelpOptions = true, version = "edgeloop 0.1.0-SNAPSHOT",
        description = "EdgeLoop fleet server and tools.",
        subcommands = {DemoCommand.class, ServerCommand.class, TrainCommand.class, RunsCommand.class,
                ModelsCommand.class, FleetCommand.class})
public final class ServerMain {

    public static void main(String[] args) {
        System.exit(new CommandLine(new ServerMain()).execute(args));
    }
}
