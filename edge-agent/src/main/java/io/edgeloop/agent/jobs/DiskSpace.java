package io.edgeloop.agent.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How many bytes the file system holding a directory can still take. */
@FunctionalInterface
public interface DiskSpace {
    long usableBytes(Path dir) throws IOException;

    /** What the file store reports ({@link java.nio.file.FileStore#getUsableSpace}). */
    DiskSpace FILE_STORE = dir -> Files.getFileStore(dir).getUsableSpace();
}
