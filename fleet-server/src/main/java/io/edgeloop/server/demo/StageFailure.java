package io.edgeloop.server.demo;

/** A demo stage that could not do its part (the fleet did not do something in time); the sentence says what. */
final class StageFailure extends Exception {
    StageFailure(String message) {
        super(message);
    }
}
