package io.roster.config;

/** A setting that stops the node from starting; the message is the one line an operator reads. */
public class InvalidConfigurationException extends RuntimeException {

    public InvalidConfigurationException(String message) {
        super(message);
    }
}
