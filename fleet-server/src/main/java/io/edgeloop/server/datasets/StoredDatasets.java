package io.edgeloop.server.datasets;

import io.edgeloop.packager.data.CsvSpec;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;

/**
 * Where training finds {@code dataset:NAME}: datasets imported into the server, already cleaned
 * by their PII rules, as the CSV spec of their stored file.
 */
@FunctionalInterface
public interface StoredDatasets {
    CsvSpec csv(String name) throws EdgeLoopException;

    /** Without a dataset store (a tool run without the server's data folder). */
    StoredDatasets NONE = name -> {
        throw new EdgeLoopException(ErrorCode.DATASET_NOT_FOUND, "dataset:" + name
                + " needs the server's dataset store; pass the server's --data-dir");
    };
}
