package io.edgeloop.agent.buffer;

/**
 * When RocksDB's write-ahead log is forced to disk. The WAL is always on, so every write that
 * returned survives a crash of the agent process (kill -9) under every policy: the OS holds it.
 * The policy decides what survives a power loss or kernel crash.
 */
public enum SyncPolicy {
    /** fsync on every write: nothing acknowledged is lost even on power loss; slowest. */
    ALWAYS,
    /** fsync the WAL every {@code syncInterval}: at most that interval lost on power loss. */
    INTERVAL,
    /** Leave flushing to the OS: fastest; a power loss may lose the last seconds. */
    NEVER
}
