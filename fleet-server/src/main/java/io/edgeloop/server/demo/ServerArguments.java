package io.edgeloop.server.demo;

import io.edgeloop.packageformat.sign.KeyPairFiles;

import java.util.List;

/** The options the demo starts {@code edgeloop server} with, beyond ports and data folder. */
final class ServerArguments {
    private ServerArguments() {
    }

    static List<String> of(KeyPairFiles.Paths keys, DemoSettings settings) {
        return List.of("--signing-key", keys.privateKey().toString());
    }
}
