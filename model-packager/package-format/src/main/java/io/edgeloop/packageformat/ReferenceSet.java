package io.edgeloop.packageformat;

import io.edgeloop.protocol.ErrorCode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reference inputs a package carries ({@value #ENTRY}): a few samples of the data the package was
 * measured on, each in the model's first input layout, with the top-1 class the fp32 model gave
 * it. An agent runs a candidate on them before activating it and compares its top-1 answers.
 *
 * <p>The file is little-endian:
 * <pre>
 *   8 bytes        magic "ELREFSET"
 *   int32          file version (1)
 *   int32          count, 1..{@value #MAX_COUNT}
 *   int32          classes, >= 1 (every expected top-1 is below it)
 *   int32          rank of one sample, 1..{@value #MAX_RANK}
 *   int32 x rank   dimensions of one sample, each >= 1 (the model's input shape without its batch)
 *   int32 x count  expected top-1 class of each sample
 *   float32 x count x width   the samples, one after another (width = product of the dimensions)
 * </pre>
 * The length must come out exactly, every value must be finite: anything else is refused with
 * {@link ErrorCode#PACKAGE_REFERENCE_INVALID} before more than the header is trusted, and a file
 * over {@value #MAX_BYTES} bytes with {@link ErrorCode#PACKAGE_ENTRY_TOO_LARGE} before it is read.
 */
public final class ReferenceSet {
    /** The package entry that holds the set. */
    public static final String ENTRY = "reference.bin";
    /** The file version this code reads and writes. */
    public static final int FILE_VERSION = 1;
    /** The most samples a set may hold. */
    public static final int MAX_COUNT = 4096;
    /** The highest rank of one sample. */
    public static final int MAX_RANK = 8;
    /** The largest reference file read. */
    public static final long MAX_BYTES = 64L << 20;

    private static final byte[] MAGIC = "ELREFSET".getBytes(StandardCharsets.US_ASCII);
    private static final int FIXED_HEADER = MAGIC.length + 4 * Integer.BYTES;

    private final int classes;
    private final long[] sampleShape;
    private final int width;
    private final int[] expected;
    private final float[] inputs;

    private ReferenceSet(int classes, long[] sampleShape, int width, int[] expected, float[] inputs) {
        this.classes = classes;
        this.sampleShape = sampleShape;
        this.width = width;
        this.expected = expected;
        this.inputs = inputs;
    }

    /**
     * A set of {@code expected.length} samples laid out one after another in {@code inputs}.
     *
     * @throws IllegalArgumentException when the figures do not fit together or break the limits
     */
    public static ReferenceSet of(long[] sampleShape, int classes, float[] inputs, int[] expected) {
        String problem = problem(sampleShape, classes, expected.length);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        int width = Math.toIntExact(product(sampleShape));
        if ((long) width * expected.length != inputs.length) {
            throw new IllegalArgumentException(inputs.length + " input values are not " + expected.length
                    + " samples of " + width);
        }
        problem = valueProblem(classes, expected, inputs);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (byteSize(sampleShape.length, expected.length, width) > MAX_BYTES) {
            throw new IllegalArgumentException(expected.length + " samples of " + width + " values exceed the "
                    + MAX_BYTES + "-byte limit of a reference file");
        }
        return new ReferenceSet(classes, sampleShape.clone(), width, expected.clone(), inputs.clone());
    }

    /** The most samples of {@code width} values (rank {@code rank}) that fit in {@link #MAX_BYTES}. */
    public static int maxCount(int rank, int width) {
        long perSample = (long) Integer.BYTES + (long) Float.BYTES * width;
        long room = MAX_BYTES - FIXED_HEADER - (long) Integer.BYTES * rank;
        return (int) Math.max(0, Math.min(MAX_COUNT, room / perSample));
    }

    /**
     * Reads a reference file.
     *
     * @throws PackageException {@link ErrorCode#PACKAGE_ENTRY_TOO_LARGE} over {@link #MAX_BYTES},
     *     {@link ErrorCode#PACKAGE_REFERENCE_INVALID} when it is malformed
     */
    public static ReferenceSet parse(byte[] bytes) throws PackageException {
        if (bytes.length > MAX_BYTES) {
            throw new PackageException(ErrorCode.PACKAGE_ENTRY_TOO_LARGE, ENTRY + " has " + bytes.length
                    + " bytes, more than the limit of " + MAX_BYTES);
        }
        if (bytes.length < FIXED_HEADER) {
            throw invalid("has " + bytes.length + " bytes, fewer than its " + FIXED_HEADER + "-byte header");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw invalid("does not start with " + new String(MAGIC, StandardCharsets.US_ASCII));
        }
        int version = in.getInt();
        if (version != FILE_VERSION) {
            throw invalid("has file version " + version + "; this EdgeLoop reads version " + FILE_VERSION);
        }
        int count = in.getInt();
        int classes = in.getInt();
        int rank = in.getInt();
        if (rank < 1 || rank > MAX_RANK) {
            throw invalid("declares a sample rank of " + rank + "; 1.." + MAX_RANK + " are allowed");
        }
        if (in.remaining() < (long) Integer.BYTES * rank) {
            throw invalid("ends inside its header");
        }
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = in.getInt();
        }
        String problem = problem(shape, classes, count);
        if (problem != null) {
            throw invalid(problem);
        }
        long width = product(shape);
        // Checked before anything is allocated: the sizes come from the file.
        long expectedBytes = byteSize(rank, count, width);
        if (expectedBytes != bytes.length) {
            throw invalid("has " + bytes.length + " bytes, but " + count + " samples of " + width + " values take "
                    + expectedBytes);
        }
        int[] expected = new int[count];
        for (int i = 0; i < count; i++) {
            expected[i] = in.getInt();
        }
        float[] inputs = new float[(int) (count * width)];
        in.asFloatBuffer().get(inputs);
        problem = valueProblem(classes, expected, inputs);
        if (problem != null) {
            throw invalid(problem);
        }
        return new ReferenceSet(classes, shape, (int) width, expected, inputs);
    }

    /**
     * Checks the set against the manifest: one sample must fit the model's first input (its fixed
     * dimensions after the batch equal ours, the dynamic ones anything), and the classes must be
     * the manifest's labels when it lists them.
     */
    public void requireFits(Manifest manifest) throws PackageException {
        if (!manifest.labels().isEmpty() && manifest.labels().size() != classes) {
            throw invalid("answers in " + classes + " classes but the manifest lists " + manifest.labels().size()
                    + " labels");
        }
        if (manifest.inputs().isEmpty()) {
            return;
        }
        TensorSpec input = manifest.inputs().get(0);
        List<Long> shape = input.shape();
        boolean fits = shape.size() == sampleShape.length + 1;
        for (int d = 0; fits && d < sampleShape.length; d++) {
            long declared = shape.get(d + 1);
            fits = declared < 0 || declared == sampleShape[d];
        }
        if (!fits) {
            throw invalid("holds samples of shape " + Arrays.toString(sampleShape) + ", which do not fit input '"
                    + input.name() + "' " + shape);
        }
    }

    /** The file's bytes, as {@link #parse} reads them. */
    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(byteSize(sampleShape.length, expected.length, width)))
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(FILE_VERSION).putInt(expected.length).putInt(classes).putInt(sampleShape.length);
        for (long d : sampleShape) {
            out.putInt((int) d);
        }
        for (int e : expected) {
            out.putInt(e);
        }
        out.asFloatBuffer().put(inputs);
        return out.array();
    }

    /** How many samples the set holds. */
    public int count() {
        return expected.length;
    }

    /** Sample {@code i}, {@link #width()} values in the model's input layout (a copy). */
    public float[] input(int i) {
        return Arrays.copyOfRange(inputs, index(i) * width, (i + 1) * width);
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive), one after another: a batch. */
    public float[] inputs(int from, int to) {
        if (from < 0 || to > count() || from > to) {
            throw new IndexOutOfBoundsException("samples " + from + ".." + to + " of " + count());
        }
        return Arrays.copyOfRange(inputs, from * width, to * width);
    }

    /** The top-1 class the fp32 model gave sample {@code i}. */
    public int expectedTop1(int i) {
        return expected[index(i)];
    }

    /** How many classes the model answers in. */
    public int classes() {
        return classes;
    }

    /** The dimensions of one sample: the model's input shape without the batch dimension. */
    public long[] sampleShape() {
        return sampleShape.clone();
    }

    /** The input shape of a batch of {@code n} samples: {@code n} followed by {@link #sampleShape()}. */
    public long[] batchShape(int n) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = n;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return shape;
    }

    /** Values per sample. */
    public int width() {
        return width;
    }

    /**
     * The share of samples whose answer in {@code top1} (one per sample, in order) equals the
     * expected one.
     */
    public double agreement(int[] top1) {
        if (top1.length != count()) {
            throw new IllegalArgumentException(top1.length + " answers for " + count() + " samples");
        }
        int same = 0;
        for (int i = 0; i < top1.length; i++) {
            same += top1[i] == expected[i] ? 1 : 0;
        }
        return (double) same / count();
    }

    private int index(int i) {
        if (i < 0 || i >= count()) {
            throw new IndexOutOfBoundsException("sample " + i + " of " + count());
        }
        return i;
    }

    private static String problem(long[] shape, int classes, int count) {
        if (count < 1 || count > MAX_COUNT) {
            return "declares " + count + " samples; 1.." + MAX_COUNT + " are allowed";
        }
        if (classes < 1) {
            return "declares " + classes + " classes";
        }
        if (shape.length < 1 || shape.length > MAX_RANK) {
            return "has samples of rank " + shape.length + "; 1.." + MAX_RANK + " are allowed";
        }
        long width = 1;
        for (long d : shape) {
            if (d < 1) {
                return "has a sample dimension of " + d + " in " + Arrays.toString(shape);
            }
            width *= d;
            if (width > MAX_BYTES) {
                return "has samples of shape " + Arrays.toString(shape) + ", larger than a reference file may hold";
            }
        }
        return null;
    }

    private static String valueProblem(int classes, int[] expected, float[] inputs) {
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] < 0 || expected[i] >= classes) {
                return "expects class " + expected[i] + " for sample " + i + ", outside 0.." + (classes - 1);
            }
        }
        for (int i = 0; i < inputs.length; i++) {
            if (!Float.isFinite(inputs[i])) {
                return "has a non-finite value " + inputs[i] + " in sample " + (expected.length == 0 ? 0
                        : i / (inputs.length / expected.length));
            }
        }
        return null;
    }

    private static long product(long[] shape) {
        long width = 1;
        for (long d : shape) {
            width *= d;
        }
        return width;
    }

    private static long byteSize(int rank, long count, long width) {
        return FIXED_HEADER + (long) Integer.BYTES * rank + count * Integer.BYTES + count * width * Float.BYTES;
    }

    private static PackageException invalid(String problem) {
        return new PackageException(ErrorCode.PACKAGE_REFERENCE_INVALID, ENTRY + " " + problem);
    }
}
