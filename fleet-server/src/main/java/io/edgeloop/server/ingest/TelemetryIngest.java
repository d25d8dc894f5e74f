package io.edgeloop.server.ingest;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.server.broker.ServerMqttLogin;
import io.edgeloop.server.db.Database;

/**
 * Agent messages from the broker into the database: a {@link MqttIngestClient} feeding an
 * {@link IngestWriter}. Close to stop; messages not yet committed stay with the broker.
 */
public final class TelemetryIngest implements AutoCloseable {
    private final IngestCounters counters = new IngestCounters();
    private final IngestWriter writer;
    private final MqttIngestClient client;
    private final IngestDecoder decoder;

    /** @param replicaId what stored rows name as {@code ingested_by} */
    public TelemetryIngest(IngestOptions options, ServerMqttLogin login, Database db, MessageCodec codec, String replicaId)
            throws EdgeLoopException {
        this(options, login, db, codec, replicaId, JobUpdateSink.NONE);
    }

    /** @param jobUpdates who applies the job execution updates, in the ingest's transaction */
    public TelemetryIngest(IngestOptions options, ServerMqttLogin login, Database db, MessageCodec codec, String replicaId,
                           JobUpdateSink jobUpdates) throws EdgeLoopException {
        this(options, login, db, codec, replicaId, jobUpdates, CaptureSink.NONE);
    }

    /** @param captures who stores captured samples and labels, in the ingest's transaction */
    public TelemetryIngest(IngestOptions options, ServerMqttLogin login, Database db, MessageCodec codec, String replicaId,
                           JobUpdateSink jobUpdates, CaptureSink captures) throws EdgeLoopException {
        this.decoder = new IngestDecoder(codec, captures);
        this.client = new MqttIngestClient(options, login, this::offer);
        this.writer = new IngestWriter(options, db, decoder, new IngestStore(replicaId, jobUpdates, captures),
                client::ack, counters);
        try {
            client.start();
        } catch (EdgeLoopException | RuntimeException e) {
            writer.close();
            client.close();
            throw e;
        }
    }

    /** On the MQTT callback thread: decoded here, so the writer thread only writes. */
    private void offer(Arrival arrival) throws InterruptedException {
        writer.offer(arrival.withDecoded(decoder.decode(arrival)));
    }

    public IngestCounters counters() {
        return counters;
    }

    public boolean connected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        writer.close();
        client.close();
    }
}
