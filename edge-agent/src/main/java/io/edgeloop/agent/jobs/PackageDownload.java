package io.edgeloop.agent.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a package into a partial file with HTTP range requests, one chunk per request
 * ({@code Range: bytes=N-M} on a kept-alive connection), resuming from the stored offset. After
 * each chunk the file is fsynced and then the offset stored, so the file always holds at least
 * the stored offset's bytes, and since the server is never asked for more than the chunk after
 * it, a crash at any instant costs less than one chunk fetched again, counted at the server (the
 * file is cut back to the stored offset first). A server that ignores ranges (200) is read from
 * byte 0 with the same checkpoints. Network errors and 5xx answers are retried with doubling
 * back-off until the job stops; a full disk fails the job with {@code DISK_FULL}.
 */
final class PackageDownload {
    private static final Logger LOG = LoggerFactory.getLogger(PackageDownload.class);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final int READ_BUFFER = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the download asks of the job it runs for. */
    interface Control extends StepControl {
        /** Stores the offset up to which the partial file is durable. */
        void checkpoint(long offset) throws EdgeLoopException;

        /** Bytes durable so far (the runner decides when to report). */
        void progress(long offset);

        /** Milliseconds until the job's deadline. */
        long millisLeft();

        /** The connection now open, so a cancel can abort a blocked read; null when closed. */
        void connection(HttpURLConnection connection);
    }

    private final JobOptions options;
    /** The offset last stored by the current attempt (what a retry resumes from). */
    private long committed;

    PackageDownload(JobOptions options) {
        this.options = options;
    }

    /** Fetches {@code url} into {@code part} from {@code offset} until {@code size} bytes are there. */
    void fetch(URI url, long size, Path part, long offset, Control control) throws JobOutcome, JobStopped {
        long delay = options.retryMin().toMillis();
        while (true) {
            control.checkContinue();
            if (offset >= size) {
                return;
            }
            requireSpace(part.getParent(), size - offset);
            long before = offset;
            try {
                offset = attempt(url, size, part, offset, control);
                if (offset <= before) {
                    throw new IOException("the answer ended at byte " + offset + " of " + size);
                }
                delay = options.retryMin().toMillis();
            } catch (IOException e) {
                if (committed > before) {
                    delay = options.retryMin().toMillis();
                }
                control.checkContinue();
                long wait = Math.max(1, Math.min(delay, control.millisLeft()));
                LOG.warn("{}: download of {} interrupted at byte {} of {} ({}); retrying in {} ms", ErrorCode.DOWNLOAD_FAILED,
                        url.getPath(), committed, size, e.toString(), wait);
                control.pause(wait);
                delay = Math.min(delay * 2, options.retryMax().toMillis());
                offset = committed;
            }
        }
    }

    /** One GET; returns the stored offset reached. Network failures throw {@link IOException}. */
    private long attempt(URI url, long size, Path part, long offset, Control control)
            throws IOException, JobOutcome, JobStopped {
        committed = offset;
        HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
        control.connection(c);
        boolean clean = false;
        try {
            c.setConnectTimeout((int) options.connectTimeout().toMillis());
            c.setReadTimeout((int) Math.max(1, Math.min(options.readTimeout().toMillis(), control.millisLeft())));
            c.setUseCaches(false);
            long end = Math.min(size, offset + options.chunkBytes()) - 1;
            c.setRequestProperty("Range", "bytes=" + offset + "-" + end);
            int status = c.getResponseCode();
            if (status == HttpURLConnection.HTTP_PARTIAL) {
                long start = rangeStart(c.getHeaderField("Content-Range"));
                if (start != offset) {
                    throw new IOException("asked for bytes from " + offset + ", the server sent from " + start);
                }
            } else if (status == HttpURLConnection.HTTP_OK) {
                if (offset > 0) {
                    LOG.info("{} ignored the range request; downloading from byte 0 again", url.getHost());
                    offset = 0;
                    committed = 0;
                    checkpoint(control, 0);
                }
            } else if (status == 416) {
                // The stored offset does not fit the file the server has: start over.
                checkpoint(control, 0);
                committed = 0;
                throw new IOException("the server refused the range from " + offset + " (416)");
            } else if (status >= 500 || status == 408 || status == 429) {
                throw new IOException("HTTP " + status);
            } else {
                throw refused(c, status);
            }
            write(c, size, part, offset, control);
            clean = true;
            return committed;
        } catch (RuntimeException e) {
            // HttpURLConnection throws unchecked exceptions (e.g. an NPE) when another thread
            // disconnects it mid-call, as a cancel does: a broken transfer like any other.
            throw new IOException("the transfer was cut: " + e, e);
        } finally {
            control.connection(null);
            if (!clean) {
                // A clean answer was read to its end: its connection stays open for the next chunk.
                c.disconnect();
            }
        }
    }

    private void write(HttpURLConnection c, long size, Path part, long offset, Control control)
            throws IOException, JobOutcome, JobStopped {
        FileChannel out = open(part, offset);
        try (out; InputStream in = c.getInputStream()) {
            byte[] buffer = new byte[READ_BUFFER];
            int chunk = options.chunkBytes();
            long unsynced = 0;
            while (offset < size) {
                // Reads never cross a chunk boundary, so at most one chunk is ever unsynced.
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, chunk - unsynced));
                if (n < 0) {
                    break;
                }
                if (offset + n > size) {
                    throw JobOutcome.failed(ErrorCode.PACKAGE_HASH_MISMATCH, "the server sent more than the "
                            + size + " bytes the job document names");
                }
                store(out, buffer, n, offset);
                offset += n;
                unsynced += n;
                if (unsynced >= chunk || offset == size) {
                    sync(out);
                    checkpoint(control, offset);
                    committed = offset;
                    unsynced = 0;
                    control.progress(offset);
                    if (offset < size) {
                        requireSpace(part.getParent(), size - offset);
                    }
                }
                control.checkContinue();
            }
            if (unsynced > 0) {
                // The range ended short of a chunk boundary (the server sent less than asked).
                sync(out);
                checkpoint(control, offset);
                committed = offset;
            }
            if (offset == size && in.read() >= 0) {
                throw JobOutcome.failed(ErrorCode.PACKAGE_HASH_MISMATCH, "the server sent more than the "
                        + size + " bytes the job document names");
            }
        }
    }

    private static FileChannel open(Path part, long offset) throws JobOutcome {
        try {
            FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            // Bytes past the stored offset may be a half-written chunk of the attempt a crash cut short.
            if (out.size() > offset) {
                out.truncate(offset);
            }
            out.position(offset);
            return out;
        } catch (IOException e) {
            throw storage("cannot open " + part, e);
        }
    }

    private static void store(FileChannel out, byte[] buffer, int n, long offset) throws JobOutcome {
        try {
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
            long at = offset;
            while (b.hasRemaining()) {
                at += out.write(b, at);
            }
        } catch (IOException e) {
            throw storage("cannot write the partial package", e);
        }
    }

    private static void sync(FileChannel out) throws JobOutcome {
        try {
            out.force(false);
        } catch (IOException e) {
            throw storage("cannot fsync the partial package", e);
        }
    }

    private static void checkpoint(Control control, long offset) throws JobOutcome {
        try {
            control.checkpoint(offset);
        } catch (EdgeLoopException e) {
            throw JobOutcome.failed(e.code(), e.getMessage());
        }
    }

    /** Fails with {@code DISK_FULL} unless {@code dir} can take {@code bytes} beyond the reserve. */
    void requireSpace(Path dir, long bytes) throws JobOutcome {
        long usable;
        try {
            usable = options.diskSpace().usableBytes(dir);
        } catch (IOException e) {
            throw storage("cannot read the free space of " + dir, e);
        }
        if (usable < bytes + options.reserveBytes()) {
            throw JobOutcome.failed(ErrorCode.DISK_FULL, "the package needs " + bytes + " more bytes (plus a reserve of "
                    + options.reserveBytes() + ") and " + dir + " has " + usable + " free");
        }
    }

    /**
     * A storage failure: {@code DISK_FULL} when the file system is out of space. The JDK reports
     * ENOSPC only as an IOException whose message is the C library's text, so that text is the one
     * signal there is; every other write failure is {@code STORAGE_FAILED}.
     */
    static JobOutcome storage(String what, IOException e) {
        boolean full = e.getMessage() != null && e.getMessage().contains("No space left on device");
        return JobOutcome.failed(full ? ErrorCode.DISK_FULL : ErrorCode.STORAGE_FAILED, what + ": " + e.getMessage());
    }

    private static long rangeStart(String contentRange) throws IOException {
        Matcher m = contentRange == null ? null : CONTENT_RANGE.matcher(contentRange.strip());
        if (m == null || !m.matches()) {
            throw new IOException("a 206 answer without a usable Content-Range (" + contentRange + ")");
        }
        return Long.parseLong(m.group(1));
    }

    /** A refusal the same request would get again (an expired or foreign token, a missing package). */
    private static JobOutcome refused(HttpURLConnection c, int status) {
        ErrorCode code = ErrorCode.DOWNLOAD_FAILED;
        String message = "HTTP " + status;
        try (InputStream err = c.getErrorStream()) {
            if (err != null) {
                JsonNode body = JSON.readTree(err.readNBytes(16 * 1024));
                if (body != null && body.hasNonNull("code")) {
                    code = ErrorCode.valueOf(body.get("code").asText());
                }
                if (body != null && body.hasNonNull("error")) {
                    message += ": " + body.get("error").asText();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // not the server's JSON error: the status says enough
        }
        return JobOutcome.failed(code, "the package server refused the download (" + message + ")");
    }
}
