package io.edgeloop.server.demo;

import io.edgeloop.packageformat.sign.KeyPairFiles;

import java.util.List;

/** The options the demo starts {@code edgeloop server} with, beyond ports and data folder. */
final class ServerArguments {
    /** The retraining service evaluates the policy this often: soon after the evidence is there. */
    static final String RETRAINING_INTERVAL = "PT5S";

    private ServerArguments() {
    }

    static List<String> of(KeyPairFiles.Paths keys, DemoSettings settings) {
        return List.of("--signing-key", keys.privateKey().toString(), "--retraining-interval", RETRAINING_INTERVAL);
    }
}
