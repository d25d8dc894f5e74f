package io.edgeloop.server.demo;

import io.edgeloop.packager.data.Dataset;

/** The artifacts stages hand on, by typed key. */
final class DemoKeys {
    static final DemoContext.Key<DemoFleet> FLEET = new DemoContext.Key<>("fleet", DemoFleet.class);
    static final DemoContext.Key<TrafficDriver> TRAFFIC = new DemoContext.Key<>("traffic", TrafficDriver.class);
    static final DemoContext.Key<Annotator> ANNOTATOR = new DemoContext.Key<>("annotator", Annotator.class);
    static final DemoContext.Key<LoopRecord> RECORD = new DemoContext.Key<>("record", LoopRecord.class);
    static final DemoContext.Key<Dataset> TEST = new DemoContext.Key<>("fashion-mnist:test", Dataset.class);

    private DemoKeys() {
    }
}
