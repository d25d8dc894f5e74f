package io.edgeloop.server.publish;

import io.edgeloop.packager.pkg.DenseInt8Quantizer;
import io.edgeloop.packager.pkg.Int8Quantizer;
import io.edgeloop.packager.pkg.PlannedInt8Quantizer;
import io.edgeloop.packager.quantize.PlanApplier;
import io.edgeloop.packager.quantize.PlanSelector;
import io.edgeloop.packager.quantize.PlannerOptions;
import io.edgeloop.packager.quantize.QuantizationPlanner;
import io.edgeloop.profiles.probe.LocalCpu;

import java.io.PrintStream;

/**
 * The two int8 quantizers a {@link ModelPublisher} takes, as the demo and the server build them:
 * the planner measuring every plan on this CPU, and the dense-layer fallback.
 */
public final class ServerQuantizers {
    private ServerQuantizers() {
    }

    public static Int8Quantizer planned(PrintStream progress) {
        return new PlannedInt8Quantizer(new QuantizationPlanner(PlannerOptions.DEFAULT, PlanSelector.measureAll(),
                new PlanApplier(LocalCpu.get().features().needsReducedInt8Range()), progress));
    }

    public static Int8Quantizer denseFallback(PrintStream progress) {
        return new DenseInt8Quantizer(PlannerOptions.DEFAULT.calibration(), progress);
    }
}
