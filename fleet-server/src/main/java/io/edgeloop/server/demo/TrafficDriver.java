package io.edgeloop.server.demo;

import io.edgeloop.packager.data.Dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Inference traffic from the test set, one thread per device, at a steady rate: single-image
 * KServe v2 requests, each under its own request id (so its capture can be labelled later), to
 * whichever version the device serves. Test images {@code 0..}{@link #HOLDOUT}{@code -1} are never
 * sent: they are the demo's held-out evaluation set. Shifted devices get disjoint ranges of the
 * rest, seen through {@link CameraShift}; clean devices cycle through all of it. Every answer is
 * scored against the true label and counted per device and version, and handed to the
 * {@link Annotator}.
 */
final class TrafficDriver implements AutoCloseable {
    /** Test images kept out of the traffic for evaluation. */
    static final int HOLDOUT = 2000;

    /** Requests and correct answers of one device on one version, in one camera state. */
    record Tally(String deviceId, String version, boolean shifted, long requests, long correct) {
    }

    private final String model;
    private final Dataset test;
    private final CameraShift shift;
    private final Annotator annotator;
    private final int requestsPerSecond;
    private final List<Lane> lanes = new ArrayList<>();
    private final Map<String, long[]> tallies = new ConcurrentHashMap<>();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean running = true;

    TrafficDriver(String model, Dataset test, Annotator annotator, int requestsPerSecond) {
        this.model = model;
        this.test = test;
        this.shift = new CameraShift((int) Math.round(Math.sqrt(test.width())));
        this.annotator = annotator;
        this.requestsPerSecond = requestsPerSecond;
    }

    /** Starts sending to {@code device} once it serves the model; shifted devices get the range {@code from..to-1}. */
    void add(DemoFleet.Device device, int from, int to) {
        Lane lane = new Lane(device, from, to);
        lanes.add(lane);
        Thread t = new Thread(lane, "demo-traffic-" + device.id());
        t.setDaemon(true);
        lane.thread = t;
        t.start();
    }

    /** From now on {@code deviceId} sees through the new camera. */
    void shift(String deviceId) {
        lanes.stream().filter(l -> l.device.id().equals(deviceId)).forEach(l -> l.shifted = true);
    }

    long requests() {
        return lanes.stream().mapToLong(l -> l.sent).sum();
    }

    long errors() {
        return errors.get();
    }

    /** What every device answered so far, per version and camera state. */
    List<Tally> tallies() {
        List<Tally> out = new ArrayList<>();
        tallies.forEach((key, v) -> {
            String[] k = key.split("\u0000");
            out.add(new Tally(k[0], k[1], Boolean.parseBoolean(k[2]), v[0], v[1]));
        });
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Lane lane : lanes) {
            lane.thread.interrupt();
            lane.thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    private final class Lane implements Runnable {
        final DemoFleet.Device device;
        final int from;
        final int to;
        volatile boolean shifted;
        volatile long sent;
        Thread thread;

        Lane(DemoFleet.Device device, int from, int to) {
            this.device = device;
            this.from = from;
            this.to = to;
        }

        @Override
        public void run() {
            long periodNanos = TimeUnit.SECONDS.toNanos(1) / requestsPerSecond;
            long next = System.nanoTime();
            int at = from;
            float[] image = new float[test.width()];
            try {
                while (device.client().activeVersion(model) == null) {
                    Thread.sleep(500);
                }
                while (running) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    next = Math.max(next + periodNanos, System.nanoTime() - periodNanos);
                    boolean camera = shifted;
                    float[] x = camera ? shift.apply(test.features(), at * test.width(), at) : copy(at, image);
                    String id = device.id() + "-" + sent;
                    try {
                        AgentClient.Prediction p = device.client().classify(model, id, x);
                        int label = test.label(at);
                        long[] t = tallies.computeIfAbsent(device.id() + "\u0000" + p.version() + "\u0000" + camera,
                                k -> new long[2]);
                        synchronized (t) {
                            t[0]++;
                            t[1] += p.label() == label ? 1 : 0;
                        }
                        annotator.offer(device, model, id, label);
                    } catch (java.io.IOException e) {
                        errors.incrementAndGet();
                    }
                    sent++;
                    at = at + 1 < to ? at + 1 : from;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private float[] copy(int row, float[] into) {
            System.arraycopy(test.features(), row * test.width(), into, 0, into.length);
            return into;
        }
    }
}
