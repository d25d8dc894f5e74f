package io.edgeloop.agent.buffer;

/** Big-endian key encoding, so RocksDB's byte order is numeric order. */
final class Keys {
    private Keys() {
    }

    static void putLong(byte[] out, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            out[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] in, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (in[at + i] & 0xff);
        }
        return v;
    }
}
