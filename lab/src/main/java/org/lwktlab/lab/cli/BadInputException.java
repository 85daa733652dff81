package org.lwktlab.lab.cli;

/** Bad user input: printed as one line, exit status 2. */
public final class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }
}
