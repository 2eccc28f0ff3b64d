package dev.warden.proxy;

/**
 * One parameter value of a Bind message, exactly as the client sent it.
 *
 * @param typeOid the type the client declared in Parse, or 0 when it left the server to infer it
 * @param format 0 text, 1 binary
 * @param value the bytes, or null for SQL NULL
 */
public record BoundParameter(int typeOid, int format, byte[] value) {}
