package io.edgeloop.agent.jobs;

/**
 * Inputs a package carries with the answers its fp32 model gave on them (the packager's reference
 * set): what {@code REFERENCE} validation runs the candidate on.
 */
interface ReferenceInputs {
    int count();

    /** Input {@code i} in the model's input layout (one row). */
    float[] input(int i);

    /** The expected top-1 class of input {@code i}. */
    int expectedTop1(int i);
}
