package dev.warden.sql;

/**
 * Token classes of PostgreSQL's scanner ({@code scan.l}). Keywords are not a class of their own:
 * like PostgreSQL's scanner we emit them as {@link #IDENTIFIER} and let the reader decide by
 * position, because almost every keyword is also a legal column or table name somewhere.
 */
public enum TokenType {
    /** Unquoted name or keyword, folded to lower case. */
    IDENTIFIER,
    /** {@code "Name"} or {@code U&"..."}: kept exactly. */
    QUOTED_IDENTIFIER,
    /** Any character string constant: {@code '...'}, {@code E'...'}, {@code U&'...'}, {@code N'...'}, dollar quoted. */
    STRING,
    /** {@code B'0101'} or {@code X'1F'}; text is the content without the prefix. */
    BIT_STRING,
    NUMBER,
    /** {@code $1}; text is the number. */
    PARAMETER,
    OPERATOR,
    /** {@code ::} */
    TYPECAST,
    LEFT_PAREN,
    RIGHT_PAREN,
    LEFT_BRACKET,
    RIGHT_BRACKET,
    COMMA,
    SEMICOLON,
    COLON,
    DOT
}
