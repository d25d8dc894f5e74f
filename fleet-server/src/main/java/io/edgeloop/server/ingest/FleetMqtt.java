package io.edgeloop.server.ingest;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.codec.MessageCodec;
import io.edgeloop.server.broker.BrokerAccessPolicy;
import io.edgeloop.server.broker.EmbeddedBroker;
import io.edgeloop.server.broker.MosquittoFiles;
import io.edgeloop.server.broker.MqttAccountSource;
import io.edgeloop.server.broker.MqttCredentialCheck;
import io.edgeloop.server.broker.ServerMqttLogin;
import io.edgeloop.server.db.Database;
import io.edgeloop.server.telemetry.TelemetryRetention;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's MQTT half, composed: the embedded broker (or Mosquitto's files for an external
 * one), the telemetry ingest, and the hourly retention run. Built in that order, closed in reverse.
 * With an external broker the ingest uses shared subscriptions, so replicas split the messages,
 * and each replica keeps Mosquitto's files rendered from the database; the embedded Moquette 0.17
 * has no shared subscriptions, and one server owns it.
 */
public final class FleetMqtt implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetMqtt.class);

    private final EmbeddedBroker broker;
    private final MosquittoFiles files;
    private final ServerMqttLogin login;
    private final MqttAccountSource accounts;
    private final TelemetryIngest ingest;
    private final ScheduledExecutorService housekeeping;
    private final String url;

    private FleetMqtt(EmbeddedBroker broker, MosquittoFiles files, ServerMqttLogin login, MqttAccountSource accounts,
                      TelemetryIngest ingest, ScheduledExecutorService housekeeping, String url) {
        this.broker = broker;
        this.files = files;
        this.login = login;
        this.accounts = accounts;
        this.ingest = ingest;
        this.housekeeping = housekeeping;
        this.url = url;
    }

    public static FleetMqtt start(FleetMqttOptions o, Database db, MqttCredentialCheck devices, MqttAccountSource accounts)
            throws EdgeLoopException {
        return start(o, db, devices, accounts, JobUpdateSink.NONE);
    }

    /** @param jobUpdates who applies the job execution updates agents report (the rollout engine) */
    public static FleetMqtt start(FleetMqttOptions o, Database db, MqttCredentialCheck devices, MqttAccountSource accounts,
                                  JobUpdateSink jobUpdates) throws EdgeLoopException {
        return start(o, db, devices, accounts, jobUpdates, CaptureSink.NONE);
    }

    /**
     * @param jobUpdates who applies the job execution updates agents report (the rollout engine)
     * @param captures who stores the samples and labels agents upload (the capture store)
     */
    public static FleetMqtt start(FleetMqttOptions o, Database db, MqttCredentialCheck devices, MqttAccountSource accounts,
                                  JobUpdateSink jobUpdates, CaptureSink captures) throws EdgeLoopException {
        ServerMqttLogin login = ServerMqttLogin.loadOrCreate(o.serverPasswordFile());
        EmbeddedBroker broker = null;
        MosquittoFiles files = null;
        String url;
        if (o.externalUrl() == null) {
            broker = new EmbeddedBroker(o.embeddedHost(), o.embeddedPort(), devices, login, new BrokerAccessPolicy());
            url = broker.url();
        } else {
            url = o.externalUrl();
            if (o.mosquittoDir() != null) {
                files = new MosquittoFiles(o.mosquittoDir(), o.mosquittoPidFile());
                files.write(login.account(), accounts.activeAccounts());
            }
        }
        TelemetryIngest ingest = null;
        try {
            String group = broker == null && o.sharedSubscriptions() ? IngestOptions.DEFAULT_SHARED_GROUP : null;
            // The client id is namespaced apart from device ids (a device is its own client id, and a
            // broker drops the older of two connections with one id).
            ingest = new TelemetryIngest(IngestOptions.of(url, "edgeloop-ingest." + o.replicaId(), group), login, db,
                    new MessageCodec(), o.replicaId(), jobUpdates, captures);
            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "telemetry-retention");
                t.setDaemon(true);
                return t;
            });
            TelemetryRetention retention = new TelemetryRetention(db, o.rawRetention());
            housekeeping.scheduleWithFixedDelay(() -> {
                try {
                    int folded = retention.run(System.currentTimeMillis());
                    if (folded > 0) {
                        LOG.info("folded {} raw telemetry messages older than {} into hourly aggregates", folded,
                                o.rawRetention());
                    }
                } catch (EdgeLoopException e) {
                    LOG.warn("{}", e.describe());
                }
            }, 1, 60, TimeUnit.MINUTES);
            FleetMqtt started = new FleetMqtt(broker, files, login, accounts, ingest, housekeeping, url);
            if (files != null) {
                // Another replica may have issued or revoked a login (or lost a race writing the files):
                // every replica renders them from the database now and then; unchanged files are left alone.
                housekeeping.scheduleWithFixedDelay(started::refreshFiles, o.filesRefresh().toMillis(),
                        o.filesRefresh().toMillis(), TimeUnit.MILLISECONDS);
            }
            return started;
        } catch (EdgeLoopException | RuntimeException e) {
            if (ingest != null) {
                ingest.close();
            }
            if (broker != null) {
                broker.close();
            }
            throw e;
        }
    }

    /**
     * A device's credentials were issued or revoked on this replica: Mosquitto's files are
     * rewritten from the database (and it reloads them); a revoked device is disconnected from
     * the embedded broker, whose authenticator then refuses it. Changes made on other replicas
     * reach the files through each replica's periodic refresh, and through theirs.
     */
    public void credentialsChanged(String deviceId, boolean revoked) {
        if (broker != null && revoked) {
            broker.cutOff(deviceId);
        }
        if (files != null) {
            try {
                files.write(login.account(), accounts.activeAccounts());
            } catch (EdgeLoopException | RuntimeException e) {
                LOG.error("Mosquitto's files are stale after a credentials change of {}: {}", deviceId, e.toString());
            }
        }
    }

    private void refreshFiles() {
        try {
            files.write(login.account(), accounts.activeAccounts());
        } catch (EdgeLoopException | RuntimeException e) {
            LOG.warn("Mosquitto's files were not refreshed from the database: {}", e.toString());
        }
    }

    /** The broker URL as seen from this machine. */
    public String url() {
        return url;
    }

    /** The embedded broker's port, or -1 with an external broker. */
    public int embeddedPort() {
        return broker == null ? -1 : broker.port();
    }

    /** The server's own broker login (the rollout engine publishes with it). */
    public ServerMqttLogin login() {
        return login;
    }

    public TelemetryIngest ingest() {
        return ingest;
    }

    @Override
    public void close() {
        // No interrupt: H2 closes its file channel when a thread is interrupted inside it.
        housekeeping.shutdown();
        try {
            housekeeping.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ingest.close();
        if (broker != null) {
            broker.close();
        }
    }
}
