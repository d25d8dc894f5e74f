package io.edgeloop.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.server.fleet.FleetClient;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Follows a rollout through {@code GET /api/v1/rollouts/{id}} until it ends, printing each wave's
 * progress and every engine decision (wave start, threshold, gate, end) as the rollout's events
 * name them, and records its state and time on the version.
 */
final class RolloutWatch {
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "ABORTED", "ROLLED_BACK", "CANCELED");

    private RolloutWatch() {
    }

    static JsonNode follow(FleetClient rest, String rolloutId, LoopRecord.Version version, Duration timeout,
                           PrintStream out) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> seen = new HashSet<>();
        String lastWaves = "";
        while (true) {
            JsonNode r = rest.get("/rollouts/" + rolloutId);
            List<JsonNode> events = new ArrayList<>();
            r.path("events").forEach(events::add);
            events.sort((a, b) -> a.path("at").asText().compareTo(b.path("at").asText()));
            for (JsonNode e : events) {
                String key = e.path("at").asText() + e.path("type").asText() + e.path("deviceId").asText()
                        + e.path("detail").asText();
                if (seen.add(key) && !e.path("type").asText().startsWith("execution.")) {
                    out.printf("      rollout %s: %s%n", e.path("type").asText(), e.path("detail").asText());
                    gateOutcome(e, version);
                }
            }
            String waves = waves(r);
            if (!waves.equals(lastWaves)) {
                out.printf("      %s%n", waves);
                lastWaves = waves;
            }
            String state = r.path("state").asText();
            if (TERMINAL.contains(state)) {
                version.rolloutId = rolloutId;
                version.rolloutState = state;
                Instant start = Instant.parse(r.path("startedAt").asText(r.path("createdAt").asText()));
                Instant end = Instant.parse(r.path("endedAt").asText());
                version.rolloutSeconds = Duration.between(start, end).toMillis() / 1000.0;
                version.rolloutDoneMillis = end.toEpochMilli();
                out.printf("      rollout %s %s in %.1f s (%s)%n", rolloutId, state, version.rolloutSeconds,
                        r.path("endReason").asText(""));
                return r;
            }
            if (System.nanoTime() > deadline) {
                throw new StageFailure("rollout " + rolloutId + " still " + state + " after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(1000);
        }
    }

    /** A wave's gate verdict, from its {@code wave.done} event ("wave 2 done: 2 succeeded; gate PASS: ..."). */
    private static void gateOutcome(JsonNode event, LoopRecord.Version version) {
        String detail = event.path("detail").asText();
        int gate = detail.indexOf("gate ");
        if (event.path("type").asText().equals("wave.done") && gate >= 0) {
            int colon = detail.indexOf(':', gate);
            // The same sentence for each check off on a first install ("not compared: ...") is said once.
            String checks = colon < 0 ? "" : String.join("; ", new java.util.LinkedHashSet<>(
                    List.of(detail.substring(colon + 1).strip().split("; "))));
            version.gates.add("rollout " + detail.substring(0, detail.indexOf(' ', 5)) + ", " + detail.substring(gate,
                    colon < 0 ? detail.length() : colon) + (checks.isEmpty() ? "" : " (" + checks + ")"));
        }
    }

    private static String waves(JsonNode r) {
        StringBuilder b = new StringBuilder("rollout ").append(r.path("state").asText()).append(':');
        for (JsonNode w : r.path("waves")) {
            JsonNode c = w.path("counts");
            b.append(String.format(" wave %d (%d%%) %s %d/%d succeeded%s;", w.path("index").asInt(),
                    w.path("percent").asInt(), w.path("state").asText(), c.path("SUCCEEDED").asInt(),
                    w.path("targeted").asInt(), c.path("FAILED").asInt() > 0 ? ", " + c.path("FAILED").asInt() + " failed" : ""));
        }
        return b.toString();
    }
}
