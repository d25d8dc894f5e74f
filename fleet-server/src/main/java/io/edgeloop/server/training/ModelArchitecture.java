package io.edgeloop.server.training;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.ndarray.types.Shape;
import io.edgeloop.packager.export.ExportableLayers;

import java.util.List;
import java.util.Locale;

/**
 * The network families EdgeLoop trains. Every one is built only from blocks the DJL-to-ONNX
 * exporter translates, and takes the dataset's sample shape as is ({@code [1, 28, 28]} images are
 * flattened inside the network), so the agent serves all of them with the same input.
 */
public enum ModelArchitecture {
    /** Multinomial logistic regression: one linear layer on the flattened features. */
    LOGREG,
    /** Fully connected layers with ReLU; widths from {@link TrainingOptions#hiddenLayers()}. */
    MLP,
    /** Two 3x3 convolution + 2x2 max-pool stages, then a dense layer; images only. */
    CNN;

    public static ModelArchitecture parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "logreg", "logistic", "logistic-regression" -> LOGREG;
            case "mlp" -> MLP;
            case "cnn" -> CNN;
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; use logreg, mlp or cnn");
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A fresh, uninitialised network for samples of {@code sampleShape} and {@code outputs} outputs. */
    public Block build(long[] sampleShape, int outputs, List<Integer> hiddenLayers) {
        SequentialBlock net = new SequentialBlock();
        switch (this) {
            case LOGREG -> net.add(ExportableLayers.flatten());
            case MLP -> {
                net.add(ExportableLayers.flatten());
                for (int width : hiddenLayers) {
                    net.add(Linear.builder().setUnits(width).build()).add(ExportableLayers.relu());
                }
            }
            case CNN -> {
                if (sampleShape.length != 3) {
                    throw new IllegalArgumentException("the cnn needs image samples [channels, height, width], not "
                            + new Shape(sampleShape));
                }
                net.add(conv(32)).add(ExportableLayers.relu()).add(ExportableLayers.maxPool2d(2, 2))
                        .add(conv(64)).add(ExportableLayers.relu()).add(ExportableLayers.maxPool2d(2, 2))
                        .add(ExportableLayers.flatten())
                        .add(Linear.builder().setUnits(128).build()).add(ExportableLayers.relu());
            }
            default -> throw new IllegalStateException(name());
        }
        net.add(Linear.builder().setUnits(outputs).build());
        return net;
    }

    private static Block conv(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters).build();
    }
}
