package org.lwktlab.lwkt;

import java.util.Objects;

/**
 * A token and the mode a thread holds it in ({@code lwkt_tokref}).
 *
 * @param token the token
 * @param mode  exclusive or shared
 */
public record TokenRef(Token token, Token.Mode mode) {
    public TokenRef {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(mode, "mode");
    }
}
