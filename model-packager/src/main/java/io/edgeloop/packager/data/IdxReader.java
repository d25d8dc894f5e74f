package io.edgeloop.packager.data;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads the IDX format of (Fashion-)MNIST, gzip-compressed or not. Only unsigned-byte data. */
final class IdxReader {
    private static final int UBYTE = 0x08;

    private IdxReader() {
    }

    /** Images as floats scaled to [0, 1]; the shape of one image is returned through {@code shapeOut}. */
    static float[] readImages(Path file, long[] shapeOut) throws EdgeLoopException {
        try (DataInputStream in = open(file)) {
            int[] dims = header(in, file, 3);
            int count = dims[0];
            int pixels = dims[1] * dims[2];
            byte[] raw = in.readNBytes(count * pixels);
            if (raw.length != count * pixels) {
                throw new EdgeLoopException(ErrorCode.DATASET_INVALID, file + " is truncated");
            }
            float[] out = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                out[i] = (raw[i] & 0xFF) / 255f;
            }
            shapeOut[0] = 1;
            shapeOut[1] = dims[1];
            shapeOut[2] = dims[2];
            return out;
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.DATASET_UNAVAILABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static float[] readLabels(Path file) throws EdgeLoopException {
        try (DataInputStream in = open(file)) {
            int count = header(in, file, 1)[0];
            byte[] raw = in.readNBytes(count);
            if (raw.length != count) {
                throw new EdgeLoopException(ErrorCode.DATASET_INVALID, file + " is truncated");
            }
            float[] out = new float[count];
            for (int i = 0; i < count; i++) {
                out[i] = raw[i] & 0xFF;
            }
            return out;
        } catch (IOException e) {
            throw new EdgeLoopException(ErrorCode.DATASET_UNAVAILABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new DataInputStream(in);
    }

    private static int[] header(DataInputStream in, Path file, int expectedDims) throws IOException, EdgeLoopException {
        int magic = in.readInt();
        int type = (magic >> 8) & 0xFF;
        int dims = magic & 0xFF;
        if ((magic >>> 16) != 0 || type != UBYTE || dims != expectedDims) {
            throw new EdgeLoopException(ErrorCode.DATASET_INVALID, file + " is not an IDX file of "
                    + expectedDims + "-dimensional unsigned bytes (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int[] sizes = new int[dims];
        for (int i = 0; i < dims; i++) {
            sizes[i] = in.readInt();
        }
        return sizes;
    }
}
