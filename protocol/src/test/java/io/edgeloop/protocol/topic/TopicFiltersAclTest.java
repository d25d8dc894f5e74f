package io.edgeloop.protocol.topic;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TopicFiltersAclTest {
    @Test
    void aDeviceMayPublishItsOwnAgentTopicsOnly() {
        var granted = TopicFilters.agentPublishes("a");
        assertTrue(granted.stream().anyMatch(g -> TopicFilters.covers(g, Topics.health("a"))));
        assertTrue(granted.stream().anyMatch(g -> TopicFilters.covers(g, Topics.jobUpdate("a", "j1"))));
        assertTrue(granted.stream().anyMatch(g -> TopicFilters.covers(g, Topics.birth("a"))));
        assertTrue(granted.stream().anyMatch(g -> TopicFilters.covers(g, Topics.captures("a"))));
        assertTrue(granted.stream().anyMatch(g -> TopicFilters.covers(g, Topics.labels("a"))));
        assertFalse(granted.stream().anyMatch(g -> TopicFilters.covers(g, Topics.captures("b"))));
        assertFalse(granted.stream().anyMatch(g -> TopicFilters.covers(g, Topics.labels("b"))));
        assertFalse(granted.stream().anyMatch(g -> TopicFilters.covers(g, Topics.health("b"))));
        assertFalse(granted.stream().anyMatch(g -> TopicFilters.covers(g, Topics.jobNotify("a"))));
        assertFalse(granted.stream().anyMatch(g -> TopicFilters.covers(g, Topics.command("a", "rollback"))));
    }

    @Test
    void wildcardRequestsAreCoveredOnlyByEqualOrWiderGrants() {
        String commands = TopicFilters.commands("a");
        assertTrue(TopicFilters.covers(commands, commands));
        assertTrue(TopicFilters.covers(commands, Topics.command("a", "rollback")));
        assertFalse(TopicFilters.covers(commands, "edgeloop/v1/devices/a/cmd/#"));
        assertFalse(TopicFilters.covers(Topics.jobNotify("a"), "edgeloop/v1/devices/+/jobs/notify"));
        assertFalse(TopicFilters.covers(Topics.jobNotify("a"), "edgeloop/v1/devices/#"));
        assertFalse(TopicFilters.covers(Topics.jobNotify("a"), "#"));
        assertTrue(TopicFilters.covers("#", "edgeloop/v1/devices/+/telemetry/#"));
        assertFalse(TopicFilters.covers(commands, "$share/g/" + commands));
    }
}
