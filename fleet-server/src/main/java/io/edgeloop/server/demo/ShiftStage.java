package io.edgeloop.server.demo;

/**
 * Demo stage 4: the shifted devices get a new camera: from now on their traffic is seen through
 * {@link CameraShift} (darker, rotated; seeded per image), as a hardware swap in the field would
 * do it. The other devices keep the original camera.
 */
final class ShiftStage implements DemoStage {
    @Override
    public String title() {
        return "give the shifted devices a new camera: darker and rotated images";
    }

    @Override
    public void run(DemoContext context) throws Exception {
        DemoFleet fleet = context.get(DemoKeys.FLEET);
        TrafficDriver traffic = context.get(DemoKeys.TRAFFIC);
        LoopRecord record = context.get(DemoKeys.RECORD);
        record.shiftedAtMillis = System.currentTimeMillis();
        for (DemoFleet.Device d : fleet.shifted()) {
            traffic.shift(d.id());
        }
        context.out().printf("      %s: pixels x %.1f (darker), rotated %.0f +/- %.0f degrees about the centre"
                        + " (bilinear; angle drawn per image from seed %d and its index); %s keep the original camera%n",
                fleet.shifted().stream().map(DemoFleet.Device::id).toList(), CameraShift.BRIGHTNESS,
                CameraShift.ANGLE_DEGREES, CameraShift.JITTER_DEGREES, CameraShift.SEED,
                fleet.clean().stream().map(DemoFleet.Device::id).toList());
    }
}
