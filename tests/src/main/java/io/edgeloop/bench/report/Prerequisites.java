package io.edgeloop.bench.report;

import io.edgeloop.bench.fleet.MosquittoProcess;
import io.edgeloop.bench.fleet.PostgresProcess;
import io.edgeloop.packager.data.DatasetLoader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** What the machine offers that some sections need, looked up once. */
public final class Prerequisites {
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private final boolean fashionMnist;
    private final String torchVersion;

    private Prerequisites(boolean fashionMnist, String torchVersion) {
        this.fashionMnist = fashionMnist;
        this.torchVersion = torchVersion;
    }

    public static Prerequisites probe() {
        return new Prerequisites(DatasetLoader.fromEnvironment().fashionMnistAvailable(), findTorch());
    }

    /** Empty when Fashion-MNIST is there, else what to install. */
    public Optional<String> fashionMnist() {
        return fashionMnist ? Optional.empty() : Optional.of("Fashion-MNIST is not in "
                + DatasetLoader.fromEnvironment().fashionMnistDir() + ": install Debian's `dataset-fashion-mnist`"
                + " (`sudo apt-get install dataset-fashion-mnist`) or set EDGELOOP_DATA to a folder holding"
                + " `fashion-mnist/*-idx?-ubyte.gz`");
    }

    /** Empty when /usr/bin/python3 imports torch, else what to install. */
    public Optional<String> torch() {
        return torchVersion != null ? Optional.empty() : Optional.of("`" + PYTHON + "` cannot import torch: install"
                + " Debian's `python3-torch` (`sudo apt-get install python3-torch`)");
    }

    public Optional<String> mosquitto() {
        return MosquittoProcess.available() ? Optional.empty() : Optional.of("no Mosquitto at " + MosquittoProcess.BINARY
                + ": install Debian's `mosquitto` (`sudo apt-get install mosquitto`)");
    }

    /** Whether PostgreSQL 15's binaries are there (the ingest benchmark skips its PostgreSQL row without them). */
    public boolean postgres() {
        return PostgresProcess.available();
    }

    /** The torch version /usr/bin/python3 imports, or null. */
    public String torchVersion() {
        return torchVersion;
    }

    private static String findTorch() {
        if (!Files.isExecutable(PYTHON)) {
            return null;
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch; print(torch.__version__)")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 && !out.isEmpty() ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
