package io.edgeloop.server.rollout.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A quality gate's judgement of a candidate version.
 *
 * @param outcome {@link Outcome#BREACH} when a judged check failed, {@link Outcome#WAITING} when
 *                none failed but some lack evidence (or too few requests were served),
 *                {@link Outcome#PASS} when every enabled check holds
 * @param checks  the enabled checks, in a fixed order
 */
public record GateVerdict(Outcome outcome, List<GateCheck> checks) {
    /** How a gate judged. */
    public enum Outcome {
        /** Every enabled check holds. */
        PASS,
        /** A check failed: the rollout must halt and roll back. */
        BREACH,
        /** Not enough evidence yet to judge. */
        WAITING
    }

    public GateVerdict {
        PolicyChecks.present("outcome", outcome);
        checks = List.copyOf(PolicyChecks.present("checks", checks));
    }

    /** The checks that were judged and failed. */
    public List<GateCheck> breaches() {
        return checks.stream().filter(GateCheck::breached).toList();
    }

    /** One sentence: the outcome and the details of the checks that decided it. */
    public String summary() {
        List<GateCheck> deciding = switch (outcome) {
            case BREACH -> breaches();
            case WAITING -> checks.stream().filter(GateCheck::waiting).toList();
            case PASS -> checks;
        };
        if (deciding.isEmpty()) {
            return outcome + (checks.isEmpty() ? ": no check enabled" : "");
        }
        return outcome + ": " + deciding.stream().map(GateCheck::detail).collect(Collectors.joining("; "));
    }
}
