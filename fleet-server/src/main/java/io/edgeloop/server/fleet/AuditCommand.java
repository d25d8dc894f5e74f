package io.edgeloop.server.fleet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code edgeloop fleet audit [--target T] [--actor A] [--since ISO] [--limit N]} (admin). */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Show the audit log, newest first (admin).")
public final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    FleetConnection connection;
    @Option(names = "--target", description = "device:ID, package:NAME@VERSION, token:ID, or a prefix ending in *.")
    String target;
    @Option(names = "--actor", description = "Token id or name.")
    String actor;
    @Option(names = "--since", description = "ISO-8601 instant, e.g. 2026-01-31T12:00:00Z.")
    String since;
    @Option(names = "--limit", description = "Most entries (default 100).")
    Integer limit;

    @Override
    public Integer call() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("target", target);
        q.put("actor", actor);
        q.put("since", since);
        q.put("limit", limit == null ? null : limit.toString());
        return FleetCall.run(spec, connection, client -> client.get(FleetClient.query("/audit", q)),
                (out, entries) -> new Table().field("AT", "at").field("ACTOR", "actorName").field("ACTION", "action")
                        .field("TARGET", "target").print(out, entries));
    }
}
