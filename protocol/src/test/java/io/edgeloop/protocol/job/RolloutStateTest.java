package io.edgeloop.protocol.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolloutStateTest {
    @Test
    void terminalStatesAreTheFourEnds() {
        Set<RolloutState> terminal = EnumSet.noneOf(RolloutState.class);
        for (RolloutState s : RolloutState.values()) {
            if (s.isTerminal()) {
                terminal.add(s);
            }
        }
        assertEquals(EnumSet.of(RolloutState.ROLLED_BACK, RolloutState.SUCCEEDED, RolloutState.ABORTED,
                RolloutState.CANCELED), terminal);
    }
}
