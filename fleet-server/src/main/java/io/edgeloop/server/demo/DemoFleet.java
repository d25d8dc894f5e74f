package io.edgeloop.server.demo;

import io.edgeloop.server.fleet.FleetClient;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Every process and background worker the demo started, closed in reverse order exactly once:
 * at the end, on a failure, or from the shutdown hook on Ctrl-C. Also what stages need of the
 * fleet: the server's REST client and the devices with their agent processes.
 */
final class DemoFleet implements AutoCloseable {
    /** One device: an agent process with its own MQTT connection, RocksDB and model store. */
    record Device(String id, int index, boolean shifted, AgentProcess process, AgentClient client) {
    }

    static final long STOP_SECONDS = 30;

    private final Deque<AutoCloseable> started = new ConcurrentLinkedDeque<>();
    private final List<Device> devices = new ArrayList<>();
    private volatile ServerProcess server;
    private volatile FleetClient client;
    private boolean closed;

    /** Keeps {@code resource} to close at the end; returns it. */
    <T extends AutoCloseable> T own(T resource) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the demo is stopping");
            }
            started.push(resource);
        }
        return resource;
    }

    /**
     * Stops {@code process} with the rest (SIGTERM, then SIGKILL after {@link #STOP_SECONDS}) even
     * before its owner is built; if the demo is already stopping, at once.
     */
    void track(Process process) {
        AutoCloseable stop = () -> {
            process.destroy();
            if (!process.waitFor(STOP_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        };
        synchronized (this) {
            if (!closed) {
                started.push(stop);
                return;
            }
        }
        process.destroyForcibly();
    }

    void server(ServerProcess server) {
        this.server = own(server);
        this.client = new FleetClient(server.url(), server.adminToken());
    }

    ServerProcess server() {
        return server;
    }

    /** The server's REST API with the admin token. */
    FleetClient rest() {
        return client;
    }

    synchronized void add(Device device) {
        own(device.process());
        devices.add(device);
    }

    /** The devices in index order (cam-1 first), whatever order they started in. */
    synchronized List<Device> devices() {
        return devices.stream().sorted(java.util.Comparator.comparingInt(Device::index)).toList();
    }

    List<Device> shifted() {
        return devices().stream().filter(Device::shifted).toList();
    }

    List<Device> clean() {
        return devices().stream().filter(d -> !d.shifted()).toList();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Stops everything started, newest first; safe to call again (the shutdown hook does). */
    @Override
    public void close() {
        List<AutoCloseable> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(started);
        }
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("demo: could not stop " + c + ": " + e);
            }
        }
    }
}
