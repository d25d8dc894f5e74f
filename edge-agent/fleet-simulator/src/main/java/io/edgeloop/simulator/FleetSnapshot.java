package io.edgeloop.simulator;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a simulated fleet stands.
 *
 * @param agents          agents asked for
 * @param enrolled        agents started and joined (enrolled now or by an earlier run)
 * @param connected       agents whose MQTT link is up
 * @param models          agents per active {@code model@version} ({@code (none)}: nothing served yet)
 * @param requests        traffic requests sent so far
 * @param requestErrors   of those, failed ones
 * @param elapsedSeconds  since the simulator started
 * @param joinedSeconds   how long starting and joining all agents took (NaN while it goes on)
 * @param sharedSessions  engine sessions shared by content now, or -1 when sharing is off
 */
public record FleetSnapshot(int agents, int enrolled, int connected, Map<String, Integer> models, long requests,
                            long requestErrors, double elapsedSeconds, double joinedSeconds, int sharedSessions) {

    /** Agents serving {@code model} at {@code version}. */
    public int serving(String model, String version) {
        return models.getOrDefault(model + "@" + version, 0);
    }

    /** One progress line. */
    public String line() {
        return String.format("t=%.0fs enrolled %d/%d, connected %d, models %s%s", elapsedSeconds, enrolled, agents,
                connected, models.isEmpty() ? "-" : models.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" ")),
                requests > 0 ? String.format(", traffic %d requests (%d failed)", requests, requestErrors) : "");
    }
}
