package io.edgeloop.server.broker;

import io.edgeloop.protocol.topic.TopicFilters;
import io.edgeloop.protocol.topic.TopicSegments;
import io.edgeloop.protocol.topic.Topics;

/**
 * Who may publish and subscribe where: a device publishes only its own agent-to-server topics
 * ({@link TopicFilters#agentPublishes}) and subscribes only to its own job documents and
 * commands ({@link TopicFilters#agent}), and every device may hear the ingest's presence
 * ({@link Topics#INGEST_PRESENCE}); the server user may do anything. Pure, so the embedded
 * broker and the Mosquitto ACL file apply the same rule.
 */
public final class BrokerAccessPolicy {
    /** Whether {@code user} may publish on {@code topic}. */
    public boolean canPublish(String user, String topic) {
        if (ServerMqttLogin.USERNAME.equals(user)) {
            return true;
        }
        if (user == null || topic == null || topic.contains("+") || topic.contains("#")) {
            return false;
        }
        if (TopicSegments.problem(user) != null) {
            return false;
        }
        return TopicFilters.agentPublishes(user).stream().anyMatch(granted -> TopicFilters.covers(granted, topic));
    }

    /** Whether {@code user} may subscribe to {@code filter} (or receive on a topic). */
    public boolean canSubscribe(String user, String filter) {
        if (ServerMqttLogin.USERNAME.equals(user)) {
            return true;
        }
        if (user == null || filter == null) {
            return false;
        }
        if (filter.equals(Topics.INGEST_PRESENCE)) {
            return true;
        }
        if (TopicSegments.problem(user) != null) {
            return false;
        }
        return TopicFilters.agent(user).stream().anyMatch(granted -> TopicFilters.covers(granted, filter));
    }
}
