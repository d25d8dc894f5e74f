package io.edgeloop.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeloop.packager.data.Dataset;
import io.edgeloop.packager.eval.PackageModelSource;
import io.edgeloop.packager.eval.Predictions;
import io.edgeloop.packager.onnx.OrtRunner;
import io.edgeloop.packager.onnx.RunnerOptions;
import io.edgeloop.server.fleet.FleetClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Accuracy of a stored package on held-out images, measured on the variant a device of this
 * machine's profile runs: the package is downloaded from the server as a device downloads it
 * (a download token for one of the devices) and its model run with ONNX Runtime, so the figures
 * never pass through the devices' drift windows or captures.
 */
final class PackageEvaluation {
    static final int BATCH = 256;

    private PackageEvaluation() {
    }

    /** Downloads {@code name:version} into {@code dir}; the file. */
    static Path download(FleetClient rest, String serverUrl, String name, String version, String deviceId, Path dir)
            throws Exception {
        JsonNode minted = rest.post("/packages/" + name + "/" + version + "/download-tokens", Map.of("deviceId", deviceId));
        Path file = Files.createDirectories(dir).resolve(name + "-" + version + ".elpkg");
        HttpResponse<Path> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(serverUrl
                + minted.get("url").asText())).GET().build(), HttpResponse.BodyHandlers.ofFile(file));
        if (r.statusCode() != 200) {
            throw new StageFailure("downloading " + name + ":" + version + " answered " + r.statusCode());
        }
        return file;
    }

    /** Top-1 accuracy of the package's variant for this machine on {@code data}. */
    static double accuracy(Path pkg, Dataset data) throws Exception {
        var resolved = new PackageModelSource(null).resolve(pkg);
        try (OrtRunner runner = new OrtRunner(resolved.model(), RunnerOptions.DEFAULT)) {
            int[] predicted = Predictions.argmax(Predictions.outputs(runner, resolved.model().inputs().get(0), data, BATCH));
            int correct = 0;
            for (int i = 0; i < predicted.length; i++) {
                correct += predicted[i] == data.label(i) ? 1 : 0;
            }
            return (double) correct / data.size();
        }
    }
}
