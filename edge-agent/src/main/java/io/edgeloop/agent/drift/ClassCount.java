package io.edgeloop.agent.drift;

/**
 * One class in a window: how often it was predicted, and how often the baseline's class
 * distribution would have it predicted in a window of that size.
 */
public record ClassCount(String name, long observed, double expected) {
}
