package io.edgeloop.packager.data;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves the dataset names users type ({@code fashion-mnist:train}, {@code fashion-mnist:test},
 * {@code csv:PATH}) to in-memory datasets. Fashion-MNIST is read from {@code $EDGELOOP_DATA/fashion-mnist}
 * when that is set, else from Debian's {@code dataset-fashion-mnist} location.
 */
public final class DatasetLoader {
    public static final Path DEBIAN_DATASETS = Path.of("/usr/share/datasets");
    public static final List<String> FASHION_MNIST_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private final Path dataRoot;

    public DatasetLoader(Path dataRoot) {
        this.dataRoot = dataRoot;
    }

    /** A loader rooted at {@code $EDGELOOP_DATA}, or Debian's dataset folder. */
    public static DatasetLoader fromEnvironment() {
        String env = System.getenv("EDGELOOP_DATA");
        return new DatasetLoader(env == null || env.isBlank() ? DEBIAN_DATASETS : Path.of(env));
    }

    public Path fashionMnistDir() {
        return dataRoot.resolve("fashion-mnist");
    }

    public boolean fashionMnistAvailable() {
        return Files.isReadable(fashionMnistDir().resolve("t10k-images-idx3-ubyte.gz"));
    }

    public Dataset load(String spec) throws EdgeLoopException {
        if (spec.startsWith("fashion-mnist")) {
            String split = spec.contains(":") ? spec.substring(spec.indexOf(':') + 1) : "train";
            return fashionMnist(split);
        }
        if (spec.startsWith("csv:")) {
            return new CsvDatasetReader().read(CsvSpec.parse(spec)).dataset();
        }
        throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "unknown dataset '" + spec
                + "'; use fashion-mnist:train, fashion-mnist:test or csv:PATH");
    }

    public Dataset fashionMnist(String split) throws EdgeLoopException {
        String prefix = switch (split) {
            case "train" -> "train";
            case "test" -> "t10k";
            default -> throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT,
                    "fashion-mnist has splits 'train' and 'test', not '" + split + "'");
        };
        Path dir = fashionMnistDir();
        Path images = dir.resolve(prefix + "-images-idx3-ubyte.gz");
        Path labels = dir.resolve(prefix + "-labels-idx1-ubyte.gz");
        if (!Files.isReadable(images) || !Files.isReadable(labels)) {
            throw new EdgeLoopException(ErrorCode.DATASET_UNAVAILABLE, "Fashion-MNIST is not in " + dir);
        }
        long[] shape = new long[3];
        float[] x = IdxReader.readImages(images, shape);
        float[] y = IdxReader.readLabels(labels);
        return new Dataset("fashion-mnist:" + split, x, shape, y, FASHION_MNIST_CLASSES, List.of());
    }
}
