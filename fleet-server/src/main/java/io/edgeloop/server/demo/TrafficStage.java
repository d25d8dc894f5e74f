package io.edgeloop.server.demo;

import io.edgeloop.packager.data.Dataset;

/**
 * Demo stage 3: inference traffic from the Fashion-MNIST test set to every device over KServe v2
 * ({@link TrafficDriver}; each device's client starts once the device serves a model), and the
 * annotator who labels part of it a little later through the devices' feedback endpoint. Test
 * images 0-1999 stay out of it: they are the held-out evaluation set of the summary.
 */
final class TrafficStage implements DemoStage {
    private final DemoSettings settings;

    TrafficStage(DemoSettings settings) {
        this.settings = settings;
    }

    @Override
    public String title() {
        return "drive inference traffic from the test set to every device (KServe v2 over HTTP), labels arriving later";
    }

    @Override
    public void run(DemoContext context) throws Exception {
        DemoFleet fleet = context.get(DemoKeys.FLEET);
        Dataset test = context.get(DemoKeys.TEST);
        LoopRecord record = context.get(DemoKeys.RECORD);
        Annotator annotator = fleet.own(new Annotator(settings.labelFraction(), settings.labelDelay()));
        TrafficDriver traffic = fleet.own(new TrafficDriver(record.model, test, annotator, settings.requestsPerSecond()));
        int first = TrafficDriver.HOLDOUT;
        int span = (test.size() - first) / settings.shifted();
        int shiftedSeen = 0;
        for (DemoFleet.Device d : fleet.devices()) {
            // A shifted device's images are its own, so the captures retraining learns from hold no duplicates.
            int from = d.shifted() ? first + span * shiftedSeen++ : first;
            int to = d.shifted() ? from + span : test.size();
            traffic.add(d, from, to);
            context.out().printf("      %s: %d requests/s of test images %d-%d, one image per request, each under its"
                    + " own id%n", d.id(), settings.requestsPerSecond(), from, to - 1);
        }
        context.out().printf("      annotator: labels %.0f %% of the requests %d s after their answer, through each"
                        + " device's POST /v2/models/%s/feedback%n", settings.labelFraction() * 100,
                settings.labelDelay().toSeconds(), record.model);
        context.out().printf("      evaluation holdout: test images 0-%d, never sent as traffic%n", first - 1);
        context.put(DemoKeys.TRAFFIC, traffic);
        context.put(DemoKeys.ANNOTATOR, annotator);
    }
}
