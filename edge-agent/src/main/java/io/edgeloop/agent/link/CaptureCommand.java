package io.edgeloop.agent.link;

import io.edgeloop.agent.buffer.CaptureSampling;
import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import io.edgeloop.protocol.message.Command;
import io.edgeloop.protocol.message.CommandName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cmd/capture}: args {@code enabled} ({@code true} or {@code false}) and optional
 * {@code sampleRate} in [0, 1]. The change is durable ({@link CaptureSampling}); a command with
 * bad arguments changes nothing and is logged with {@code INVALID_ARGUMENT}.
 */
public final class CaptureCommand {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureCommand.class);

    private final String deviceId;
    private final CaptureSampling sampling;

    public CaptureCommand(String deviceId, CaptureSampling sampling) {
        this.deviceId = deviceId;
        this.sampling = sampling;
    }

    /** Applies one {@code capture} command; false (and a WARN) when it was refused. */
    public boolean apply(Command command) {
        try {
            if (command.name() != CommandName.CAPTURE) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "not a capture command: " + command.name().wireName());
            }
            if (!deviceId.equals(command.deviceId())) {
                throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "command for device " + command.deviceId()
                        + ", not " + deviceId);
            }
            boolean enabled = parseEnabled(command.args().get("enabled"));
            Double rate = parseRate(command.args().get("sampleRate"));
            sampling.set(enabled, rate);
            LOG.info("capture {} by the fleet (sample rate {})", enabled ? "on" : "off", sampling.rate());
            return true;
        } catch (EdgeLoopException e) {
            LOG.warn("cmd/capture refused: {}", e.describe());
            return false;
        }
    }

    private static boolean parseEnabled(String value) throws EdgeLoopException {
        if ("true".equals(value)) {
            return true;
        }
        if ("false".equals(value)) {
            return false;
        }
        throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "cmd/capture needs enabled=true or enabled=false, not "
                + (value == null ? "nothing" : "'" + value + "'"));
    }

    private static Double parseRate(String value) throws EdgeLoopException {
        if (value == null) {
            return null;
        }
        try {
            double rate = Double.parseDouble(value.strip());
            if (!(rate >= 0 && rate <= 1)) {
                throw new NumberFormatException();
            }
            return rate;
        } catch (NumberFormatException e) {
            throw new EdgeLoopException(ErrorCode.INVALID_ARGUMENT, "cmd/capture sampleRate must be a number in [0, 1], not '"
                    + value + "'");
        }
    }
}
