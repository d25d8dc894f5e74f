package io.edgeloop.simulator;

import io.edgeloop.agent.engine.DataType;
import io.edgeloop.agent.engine.Tensor;
import io.edgeloop.agent.engine.TensorSpec;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * Inputs of simulated traffic: rows of an IDX image file (pixels scaled to 0..1, as the packager
 * trains on them), or synthetic uniform values in 0..1 for whatever shape a model takes. One row
 * per request, the batch dimension 1.
 */
public final class TrafficInputs {
    private final float[][] rows;
    private final SplittableRandom random = new SplittableRandom(7);

    private TrafficInputs(float[][] rows) {
        this.rows = rows;
    }

    /** Synthetic inputs only. */
    public static TrafficInputs synthetic() {
        return new TrafficInputs(null);
    }

    /**
     * The images of {@code spec}: an IDX file ({@code .gz} or not), or {@code fashion-mnist:test} /
     * {@code fashion-mnist:train} from {@code $EDGELOOP_DATA} (default {@code /usr/share/datasets}).
     */
    public static TrafficInputs of(String spec) throws EdgeLoopException {
        if (spec == null) {
            return synthetic();
        }
        Path file;
        if (spec.startsWith("fashion-mnist:")) {
            String split = spec.substring("fashion-mnist:".length());
            String root = System.getenv().getOrDefault("EDGELOOP_DATA", "/usr/share/datasets");
            String name = split.equals("train") ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte";
            Path dir = Path.of(root, "fashion-mnist");
            file = Files.exists(dir.resolve(name)) ? dir.resolve(name) : dir.resolve(name + ".gz");
        } else {
            file = Path.of(spec);
        }
        if (!Files.isRegularFile(file)) {
            throw new EdgeLoopException(ErrorCode.DATASET_UNAVAILABLE, "traffic data " + file + " does not exist");
        }
        return new TrafficInputs(readIdx(file, 2000));
    }

    /** Up to {@code max} images of an IDX3 file, each flattened and scaled to 0..1. */
    static float[][] readIdx(Path file, int max) throws EdgeLoopException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw)) {
            int magic = in.readInt();
            if ((magic >>> 8) != 0x08 || (magic & 0xff) < 2) {
                throw new EdgeLoopException(ErrorCode.DATASET_INVALID, file + " is not an IDX file of unsigned bytes");
            }
            int dims = magic & 0xff;
            int count = in.readInt();
            int width = 1;
            for (int d = 1; d < dims; d++) {
                width *= in.readInt();
            }
            int n = Math.min(count, max);
            float[][] rows = new float[n][width];
            byte[] row = new byte[width];
            for (int i = 0; i < n; i++) {
                in.readFully(row);
                for (int j = 0; j < width; j++) {
                    rows[i][j] = (row[j] & 0xff) / 255f;
                }
            }
            return rows;
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.DATASET_INVALID, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** One request's inputs for a model declaring {@code specs}; null when it takes other than FP32 inputs. */
    public synchronized List<Tensor> next(List<TensorSpec> specs) {
        List<Tensor> inputs = new ArrayList<>(specs.size());
        for (TensorSpec spec : specs) {
            if (spec.type() != DataType.FP32) {
                return null;
            }
            long[] shape = spec.shape().clone();
            long width = 1;
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] < 0) {
                    shape[d] = 1;
                }
                width *= shape[d];
            }
            float[] data;
            if (rows != null && rows.length > 0 && rows[0].length == width) {
                data = rows[random.nextInt(rows.length)];
            } else {
                data = new float[(int) width];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) random.nextDouble();
                }
            }
            inputs.add(Tensor.of(spec.name(), data, shape));
        }
        return inputs;
    }
}
