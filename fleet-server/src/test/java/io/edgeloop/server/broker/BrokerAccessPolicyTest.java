package io.edgeloop.server.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeloop.protocol.topic.Topics;
import org.junit.jupiter.api.Test;

class BrokerAccessPolicyTest {
    private final BrokerAccessPolicy policy = new BrokerAccessPolicy();

    @Test
    void aDeviceSpeaksOnlyForItselfAndHearsOnlyItsOwnJobsAndCommands() {
        assertTrue(policy.canPublish("a", Topics.health("a")));
        assertTrue(policy.canPublish("a", Topics.status("a")));
        assertTrue(policy.canPublish("a", Topics.jobUpdate("a", "j")));
        assertFalse(policy.canPublish("a", Topics.health("b")));
        assertFalse(policy.canPublish("a", Topics.jobNotify("a")));
        assertFalse(policy.canPublish("a", "other/topic"));
        assertTrue(policy.canSubscribe("a", Topics.jobNotify("a")));
        assertTrue(policy.canSubscribe("a", "edgeloop/v1/devices/a/cmd/+"));
        assertFalse(policy.canSubscribe("a", Topics.jobNotify("b")));
        assertFalse(policy.canSubscribe("a", "edgeloop/v1/devices/+/jobs/notify"));
        assertFalse(policy.canSubscribe("a", "#"));
        assertFalse(policy.canSubscribe("a/b", "edgeloop/v1/devices/a/b/jobs/notify"));
        assertTrue(policy.canSubscribe(ServerMqttLogin.USERNAME, "$share/g/edgeloop/v1/devices/+/telemetry/#"));
    }

    @Test
    void everyDeviceHearsTheIngestPresenceAndNoneMaySpeakIt() {
        assertTrue(policy.canSubscribe("a", Topics.INGEST_PRESENCE));
        assertFalse(policy.canPublish("a", Topics.INGEST_PRESENCE));
        assertFalse(policy.canSubscribe("a", "edgeloop/v1/server/#"));
        assertTrue(policy.canPublish(ServerMqttLogin.USERNAME, Topics.INGEST_PRESENCE));
        String acl = MosquittoFiles.deviceAcl("a");
        assertTrue(acl.contains("topic read " + Topics.INGEST_PRESENCE + "\n"), acl);
        assertFalse(acl.contains("topic write " + Topics.INGEST_PRESENCE), acl);
    }
}
