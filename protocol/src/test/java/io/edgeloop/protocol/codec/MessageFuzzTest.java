package io.edgeloop.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.edgeloop.protocol.MessageFormatException;
import io.edgeloop.protocol.SampleMessages;
import io.edgeloop.protocol.message.Message;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;

/**
 * Feeds the codec damaged copies of valid messages of every type and asserts the contract: a
 * decode returns a valid record or throws {@link MessageFormatException} naming a field, and
 * nothing else ever escapes. Seeded, so a failure reproduces; {@code -Dfuzz.seed=N} and
 * {@code -Dfuzz.inputs=N} explore further.
 */
class MessageFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 20261126L);
    private static final int INPUTS = Integer.getInteger("fuzz.inputs", 12_000);

    private final MessageCodec codec = new MessageCodec();
    private final List<String> escapes = new ArrayList<>();
    private int decoded;
    private int refused;

    @Test
    void onlyMessageFormatExceptionEverEscapes() throws Exception {
        // A fresh thread, like a consumer's MQTT callback thread: refusals fill short stack traces
        // there, which keeps 10,000+ refusals fast; under JUnit's deep stack each costs ~3x more.
        FutureTask<Void> run = new FutureTask<>(() -> {
            fuzz();
            return null;
        });
        new Thread(run, "fuzz").start();
        try {
            run.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private void fuzz() {
        long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        Random random = new Random(SEED);
        List<Message> samples = SampleMessages.all();
        List<byte[]> encoded = samples.stream().map(codec::encode).toList();
        List<Mutations.Mutation> mutations = Mutations.all();
        Map<String, Integer> perMutation = new TreeMap<>();
        Map<String, Long> nanos = new TreeMap<>();
        int inputs = 0;
        // Every truncation length of every sample: the commonest damage on a flaky link.
        for (Message sample : samples) {
            byte[] bytes = codec.encode(sample);
            for (int length = 0; length < bytes.length; length++) {
                check("truncated to " + length, java.util.Arrays.copyOf(bytes, length), sample);
                inputs++;
            }
        }
        while (inputs < INPUTS + samples.size() * 100) {
            int pick = random.nextInt(samples.size());
            Message sample = samples.get(pick);
            Mutations.Mutation mutation = mutations.get(random.nextInt(mutations.size()));
            byte[] input;
            try {
                input = mutation.apply().apply(encoded.get(pick), random);
            } catch (UncheckedIOException | IllegalStateException e) {
                throw new AssertionError("mutation '" + mutation.name() + "' failed on a valid message", e);
            }
            long start = System.nanoTime();
            check(mutation.name(), input, sample);
            perMutation.merge(mutation.name(), 1, Integer::sum);
            nanos.merge(mutation.name(), System.nanoTime() - start, Long::sum);
            inputs++;
        }
        System.out.printf("fuzz: seed %d, %d inputs, %d decoded, %d refused (two decoders each), per mutation %s%n",
                SEED, inputs, decoded, refused, perMutation);
        nanos.forEach((name, ns) -> System.out.printf("fuzz: %-28s %6.1f ms%n", name, ns / 1e6));
        System.out.printf("fuzz: %.1f s wall, %.1f s CPU on the fuzz thread%n", (System.nanoTime() - wallStart) / 1e9,
                (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1e9);

        if (!escapes.isEmpty()) {
            fail(escapes.size() + " inputs let something other than MessageFormatException escape; first:\n"
                    + String.join("\n", escapes.subList(0, Math.min(3, escapes.size()))));
        }
        assertTrue(inputs >= 10_000, "at least 10,000 inputs");
        assertEquals(Mutations.all().size(), perMutation.size(), "every mutation ran");
        // Both outcomes must occur, or the mutations are too weak (all decode) or too crude (none do).
        assertTrue(decoded > 100, "some damaged inputs still decode: " + decoded);
        assertTrue(refused > inputs, "most damaged inputs are refused: " + refused);
    }

    /**
     * Runs the input through the topic decoder (which reads the type the topic names, as
     * {@code decode(bytes, type)} does) and the schema-dispatching decoder; records anything but
     * a valid result or a refusal.
     */
    private void check(String mutation, byte[] input, Message sample) {
        decodeWith(mutation, input, () -> codec.decode(input));
        decodeWith(mutation, input, () -> codec.decodeForTopic(SampleMessages.topicOf(sample), input));
    }

    private interface Decode {
        Message run() throws MessageFormatException;
    }

    private void decodeWith(String mutation, byte[] input, Decode decode) {
        try {
            Message message = decode.run();
            // Whatever decodes must be a valid message that survives its own round trip.
            if (!message.equals(codec.decode(codec.encode(message)))) {
                escapes.add(describe(mutation, input, new AssertionError("round trip changed " + message)));
            }
            decoded++;
        } catch (MessageFormatException e) {
            if (e.field() == null || e.field().isBlank() || e.getMessage().chars().anyMatch(Character::isISOControl)) {
                escapes.add(describe(mutation, input, new AssertionError("unusable refusal: " + e.getMessage(), e)));
            }
            refused++;
        } catch (Throwable t) {
            escapes.add(describe(mutation, input, t));
        }
    }

    private static String describe(String mutation, byte[] input, Throwable t) {
        StringWriter written = new StringWriter();
        t.printStackTrace(new PrintWriter(written));
        String trace = written.toString().lines().limit(12).collect(java.util.stream.Collectors.joining("\n"));
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < Math.min(input.length, 400); i++) {
            int b = input[i] & 0xff;
            shown.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return "[" + mutation + "] input: " + shown + "\n" + trace;
    }
}
