package io.edgeloop.packager.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The sha256 of datasets' contents (features, targets, shape and class names), the one lineage
 * fingerprint EdgeLoop records ({@code datasetSha256} of runs, model versions and package
 * manifests; {@code holdoutSha256} of gate decisions): the same data gives the same digest
 * whatever file it was read from.
 */
public final class DatasetDigest {

    private DatasetDigest() {
    }

    public static String sha256(Dataset... datasets) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
        for (Dataset d : datasets) {
            ByteBuffer header = ByteBuffer.allocate(8 * (d.featureShape().length + 1)).order(ByteOrder.LITTLE_ENDIAN);
            header.putLong(d.size());
            for (long dim : d.featureShape()) {
                header.putLong(dim);
            }
            digest.update(header.array());
            digest.update(floats(d.features()));
            digest.update(floats(d.targets()));
            digest.update(String.join("\n", d.classNames()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static ByteBuffer floats(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer;
    }
}
