package io.edgeloop.server.fleet;

import picocli.CommandLine.Command;

/**
 * {@code edgeloop fleet …}: the fleet REST API from the command line. Tables by default,
 * {@code --json} for scripts; exit 0 done, 1 the server refused (code and sentence printed), 2 a
 * usage error.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = "REST client of the fleet server: devices, packages, rollouts, captures, tokens, audit log, retraining,"
                + " model lineage, datasets.",
        subcommands = {DevicesCommand.class, PackagesCommand.class, RolloutsCommand.class, TokensCommand.class,
                CapturesCommand.class, AuditCommand.class, RetrainingCommand.class, FleetModelsCommand.class,
                DatasetsCommand.class})
public final class FleetCommand {
}
